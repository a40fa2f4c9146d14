package office

import "crisisdesk/internal/catalog"

// DefaultDistricts are Hong Kong's 18 districts, the list an office
// starts with until it sets its own.
func DefaultDistricts() []District {
	d := func(code, hant, hans, en string) District {
		return District{Code: code, Name: catalog.Text{ZhHant: hant, ZhHans: hans, En: en}}
	}
	return []District{
		d("central-western", "中西區", "中西区", "Central and Western"),
		d("wan-chai", "灣仔區", "湾仔区", "Wan Chai"),
		d("eastern", "東區", "东区", "Eastern"),
		d("southern", "南區", "南区", "Southern"),
		d("yau-tsim-mong", "油尖旺區", "油尖旺区", "Yau Tsim Mong"),
		d("sham-shui-po", "深水埗區", "深水埗区", "Sham Shui Po"),
		d("kowloon-city", "九龍城區", "九龙城区", "Kowloon City"),
		d("wong-tai-sin", "黃大仙區", "黄大仙区", "Wong Tai Sin"),
		d("kwun-tong", "觀塘區", "观塘区", "Kwun Tong"),
		d("kwai-tsing", "葵青區", "葵青区", "Kwai Tsing"),
		d("tsuen-wan", "荃灣區", "荃湾区", "Tsuen Wan"),
		d("tuen-mun", "屯門區", "屯门区", "Tuen Mun"),
		d("yuen-long", "元朗區", "元朗区", "Yuen Long"),
		d("north", "北區", "北区", "North"),
		d("tai-po", "大埔區", "大埔区", "Tai Po"),
		d("sha-tin", "沙田區", "沙田区", "Sha Tin"),
		d("sai-kung", "西貢區", "西贡区", "Sai Kung"),
		d("islands", "離島區", "离岛区", "Islands"),
	}
}
