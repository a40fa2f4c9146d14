package notices

import (
	"context"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
)

// chineseText is the text of one language version to convert.
type chineseText struct {
	Headline    string `json:"headline,omitempty" maxLength:"10000"`
	Body        string `json:"body,omitempty" maxLength:"100000"`
	Instruction string `json:"instruction,omitempty" maxLength:"100000"`
	Contact     string `json:"contact,omitempty" maxLength:"10000"`
}

type convertInput struct {
	Body struct {
		To      string      `json:"to" enum:"zh-Hans,zh-Hant" doc:"The script to convert into"`
		Content chineseText `json:"content"`
	}
}

type convertOutput struct {
	Body struct {
		Language string      `json:"language"`
		Content  chineseText `json:"content" doc:"A draft for a person to read before it is used"`
	}
}

// convertChinese starts the other script's version of a text: Traditional
// to Simplified or back, with OpenCC's phrase dictionaries.
func (r *Room) convertChinese(_ context.Context, in *convertInput) (*convertOutput, error) {
	c := in.Body.Content
	got, err := r.Chinese.Content(notice.Content{Headline: c.Headline, Body: c.Body, Instruction: c.Instruction, Contact: c.Contact}, in.Body.To)
	if err != nil {
		return nil, fault.Field("to", "%v", err)
	}
	out := &convertOutput{}
	out.Body.Language = in.Body.To
	out.Body.Content = chineseText{Headline: got.Headline, Body: got.Body, Instruction: got.Instruction, Contact: got.Contact}
	return out, nil
}
