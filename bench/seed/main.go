// Command seed prepares a database for bench/public.sh: the demo, plus
// -notices more published notices on the demo's typhoon, each in three
// languages, so that the public pages can be measured at a realistic size
// for a crisis in full swing ("/" lists the latest twenty notices).
//
//	go run ./bench/seed -db sqlite:/tmp/bench/crisisdesk.db -notices 20
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/crisis"
	"crisisdesk/internal/demo"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/store"
)

func main() {
	db := flag.String("db", "", "database DSN (required)")
	n := flag.Int("notices", 0, "how many notices to publish besides the demo's")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx, *db, *n); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dsn string, n int) error {
	if dsn == "" || n < 0 {
		return errors.New("-db is required and -notices must be 0 or more")
	}
	st, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	if _, err := demo.Load(ctx, st, st.Clock().Now(), io.Discard); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	actor := func(name string) (authz.Actor, error) {
		u, err := st.Accounts().UserByName(ctx, name)
		return u.Actor(authz.SourceCLI), err
	}
	editor, err := actor("chan.editor")
	if err != nil {
		return err
	}
	approver, err := actor("wong.approver")
	if err != nil {
		return err
	}
	cs, _, err := st.Crises().List(ctx, crisis.Filter{Open: true, Limit: 10})
	if err != nil || len(cs) == 0 {
		return fmt.Errorf("the demo's open crisis: %v", err)
	}
	ns := st.Notices()
	for i := range n {
		now := st.Clock().Now()
		d, err := ns.Create(ctx, editor, update(cs[0].ID, i+1, now))
		if err == nil {
			d, err = ns.Submit(ctx, editor, d.ID, "")
		}
		if err == nil {
			d, err = ns.Approve(ctx, approver, d.ID, "")
		}
		if err == nil {
			_, err = ns.Publish(ctx, approver, d.ID)
		}
		if err != nil {
			return fmt.Errorf("notice %d: %w", i+1, err)
		}
	}
	return nil
}

// Phrases that prose strings together: the bodies differ as real ones do,
// so that gzip finds no more repetition in them than in real updates.
var (
	english = strings.Fields(`gale storm signal eight remains in force across the harbour district and the low-lying coast
		water levels may rise one metre above normal tide residents should stay indoors keep away from windows
		ferries are suspended schools are closed hospitals keep emergency services running shelters are open in
		community halls the observatory expects winds to ease after midnight crews clear fallen trees on main roads
		report flooding to the hotline buses run a reduced service power may fail in exposed areas`)
	zhHant = []string{"八號烈風或暴風信號現正生效", "海旁及低窪地區有水浸風險", "市民應留在室內", "遠離窗戶", "渡輪服務暫停",
		"學校停課", "醫院維持緊急服務", "社區會堂開放作臨時庇護站", "天文台預計午夜後風勢減弱", "工程人員正清理塌樹",
		"請致電熱線報告水浸", "巴士服務縮減", "部分地區或會停電", "潮水可能較正常高出一米"}
	zhHans = []string{"八号烈风或暴风信号现正生效", "海旁及低洼地区有水浸风险", "市民应留在室内", "远离窗户", "渡轮服务暂停",
		"学校停课", "医院维持紧急服务", "社区会堂开放作临时庇护站", "气象台预计午夜后风势减弱", "工程人员正清理塌树",
		"请致电热线报告水浸", "巴士服务缩减", "部分地区或会停电", "潮水可能较正常高出一米"}
)

// prose strings 40 of words together in an order seeded by i.
func prose(i int, words []string, sep string) string {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	out := make([]string, 40)
	for j := range out {
		out[j] = words[r.IntN(len(words))]
	}
	if sep == "" {
		return strings.Join(out, "，") + "。"
	}
	return strings.Join(out, sep) + "."
}

// update is the i-th situation update, of about the length such updates
// have.
func update(crisisID int64, i int, now time.Time) notice.Notice {
	return notice.Notice{CrisisID: crisisID, Kind: notice.Update, Audience: notice.Public,
		Contents: []notice.Content{
			{Language: "zh-Hant", Headline: fmt.Sprintf("颱風「海燕」最新情況（第 %d 號）", i),
				Body:        prose(i, zhHant, ""),
				Instruction: "請留在室內，遠離窗戶，切勿前往海旁。", Contact: "熱線 1823"},
			{Language: "zh-Hans", Headline: fmt.Sprintf("台风“海燕”最新情况（第 %d 号）", i),
				Body:        prose(i, zhHans, ""),
				Instruction: "请留在室内，远离窗户，切勿前往海旁。", Contact: "热线 1823"},
			{Language: "en", Headline: fmt.Sprintf("Typhoon Haiyan: situation update no. %d", i),
				Body:        prose(i, english, " "),
				Instruction: "Stay indoors, away from windows, and do not go to the shore.", Contact: "Hotline 1823"},
		},
		CAP: notice.CAPInfo{Event: "Typhoon", Category: "Met", Urgency: "Immediate", Severity: "Severe", Certainty: "Observed",
			Effective: now, Expires: now.Add(24 * time.Hour), Area: notice.Area{Description: "Harbour district and low-lying coast"}},
	}
}
