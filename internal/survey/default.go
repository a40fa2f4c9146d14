package survey

// Measures are the plan's measures of the public's satisfaction, the
// keys of the default questionnaire's scale questions; the trend across
// crises follows them.
var Measures = []string{"timeliness", "clarity", "usefulness", "trust"}

// Default is the post-crisis questionnaire a closed crisis's survey
// starts from, in the three languages crisisdesk ships; the office edits
// it before sending. title is the crisis's name.
func Default(title string) Survey {
	t := func(hant, hans, en string) Texts { return Texts{"zh-Hant": hant, "zh-Hans": hans, "en": en} }
	return Survey{
		Title: t("「"+title+"」公眾意見調查", "“"+title+"”公众意见调查", "Your views on our information: "+title),
		Questions: []Question{
			{Key: "timeliness", Kind: Scale, Required: true, Text: t(
				"我們發布的資訊是否及時？（1 非常遲，5 非常及時）",
				"我们发布的信息是否及时？（1 非常迟，5 非常及时）",
				"Did our information reach you in time? (1 far too late, 5 right on time)")},
			{Key: "clarity", Kind: Scale, Required: true, Text: t(
				"資訊是否清楚易明？（1 非常難明，5 非常清楚）",
				"信息是否清楚易懂？（1 非常难懂，5 非常清楚）",
				"Was it clear? (1 very hard to follow, 5 very clear)")},
			{Key: "usefulness", Kind: Scale, Required: true, Text: t(
				"資訊對您有沒有用？（1 完全沒用，5 非常有用）",
				"信息对您有没有用？（1 完全没用，5 非常有用）",
				"Was it useful to you? (1 not at all, 5 very useful)")},
			{Key: "trust", Kind: Scale, Required: true, Text: t(
				"您有多信任我們發布的資訊？（1 完全不信任，5 完全信任）",
				"您有多信任我们发布的信息？（1 完全不信任，5 完全信任）",
				"How much did you trust it? (1 not at all, 5 completely)")},
			{Key: "channel", Kind: Single, Text: t("您主要從哪裏得知消息？", "您主要从哪里得知消息？", "Where did you mostly hear from us?"),
				Options: []Option{
					{Key: "sms", Text: t("短訊", "短信", "SMS")},
					{Key: "email", Text: t("電郵", "电子邮件", "E-mail")},
					{Key: "web", Text: t("網站", "网站", "Website")},
					{Key: "media", Text: t("新聞媒體", "新闻媒体", "News media")},
					{Key: "other", Text: t("其他", "其他", "Other")},
				}},
			{Key: "improve", Kind: Text, Text: t("我們可以怎樣做得更好？", "我们可以怎样做得更好？", "What should we do better?")},
		},
	}
}
