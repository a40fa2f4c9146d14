package catalog

// Defaults is the catalogue loaded on first start. Admins edit it after.
func Defaults() []Type {
	ind := func(hant, hans, en string) Text { return Text{hant, hans, en} }
	return []Type{
		{Code: "typhoon", Category: NaturalDisaster, Name: Text{"颱風", "台风", "Typhoon"},
			Indicators: []Text{ind("天文台發出八號或以上熱帶氣旋警告信號", "气象台发出八号或以上热带气旋警告信号", "Tropical cyclone signal No. 8 or higher issued"),
				ind("預測風暴潮高於正常潮位一米", "预测风暴潮高于正常潮位一米", "Storm surge forecast one metre above normal tide")},
			Notify: []string{"commander", "public-works", "communications"}},
		{Code: "rainstorm", Category: NaturalDisaster, Name: Text{"暴雨及水浸", "暴雨及水浸", "Rainstorm and flooding"},
			Indicators: []Text{ind("黃色、紅色或黑色暴雨警告", "黄色、红色或黑色暴雨警告", "Amber, red or black rainstorm warning")},
			Notify:     []string{"commander", "public-works"}},
		{Code: "earthquake", Category: NaturalDisaster, Name: Text{"地震", "地震", "Earthquake"},
			Indicators: []Text{ind("本地有感地震", "本地有感地震", "Earthquake felt locally")}, Notify: []string{"commander"}},
		{Code: "fire", Category: Accident, Name: Text{"火災", "火灾", "Fire"},
			Indicators: []Text{ind("三級或以上火警", "三级或以上火警", "Third-alarm fire or above")}, Notify: []string{"commander", "facilities"}},
		{Code: "traffic-accident", Category: Accident, Name: Text{"重大交通事故", "重大交通事故", "Major traffic accident"},
			Indicators: []Text{ind("多人傷亡或主要道路封閉", "多人伤亡或主要道路封闭", "Multiple casualties or a main road closed")}, Notify: []string{"commander"}},
		{Code: "hazmat", Category: Accident, Name: Text{"危險品洩漏", "危险品泄漏", "Hazardous materials spill"},
			Indicators: []Text{ind("化學品洩漏報告", "化学品泄漏报告", "Chemical leak reported")}, Notify: []string{"commander", "health"}},
		{Code: "epidemic", Category: PublicHealth, Name: Text{"傳染病爆發", "传染病暴发", "Infectious disease outbreak"},
			Indicators: []Text{ind("群組個案增加", "群组病例增加", "Rising cluster of cases")}, Notify: []string{"commander", "health"}},
		{Code: "food-safety", Category: PublicHealth, Name: Text{"食物安全事故", "食品安全事故", "Food safety incident"},
			Indicators: []Text{ind("多宗相關食物中毒個案", "多宗相关食物中毒病例", "Several linked food poisoning cases")}, Notify: []string{"commander", "health"}},
		{Code: "public-disorder", Category: SocialSecurity, Name: Text{"公眾秩序事件", "公众秩序事件", "Public order incident"},
			Indicators: []Text{ind("大型人群聚集失控", "大型人群聚集失控", "Large crowd out of control")}, Notify: []string{"commander"}},
		{Code: "terror-threat", Category: SocialSecurity, Name: Text{"恐怖威脅", "恐怖威胁", "Terrorist threat"},
			Indicators: []Text{ind("可信的威脅情報", "可信的威胁情报", "Credible threat intelligence")}, Notify: []string{"commander"}},
		{Code: "reputation", Category: Organisational, Name: Text{"聲譽及輿情危機", "声誉及舆情危机", "Reputation and public opinion crisis"},
			Indicators: []Text{ind("負面報道或社交媒體討論急升", "负面报道或社交媒体讨论急升", "Surge of negative coverage or social media posts")}, Notify: []string{"commander", "communications"}},
		{Code: "cyber", Category: Organisational, Name: Text{"網絡及資料安全事故", "网络及数据安全事故", "Cyber and data incident"},
			Indicators: []Text{ind("確認入侵或個人資料外洩", "确认入侵或个人数据泄露", "Confirmed intrusion or personal data leak")}, Notify: []string{"commander", "it"}},
		{Code: "outage", Category: Organisational, Name: Text{"服務中斷", "服务中断", "Service outage"},
			Indicators: []Text{ind("主要公共服務中斷超過一小時", "主要公共服务中断超过一小时", "Main public service down for over an hour")}, Notify: []string{"commander", "it"}},
	}
}
