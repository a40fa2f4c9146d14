package delivery

// Queue is the River queue of the delivery work, apart from the office's
// other jobs so that a big fan-out never delays a clock alert.
const Queue = "delivery"

// FanoutArgs is the job that walks a notice's recipients and writes their
// delivery records, batch by batch from the saved checkpoint.
type FanoutArgs struct {
	NoticeID int64 `json:"notice_id"`
}

// Kind names the job.
func (FanoutArgs) Kind() string { return "delivery_fanout" }

// SendArgs is the job that sends one channel's deliveries of a notice. A
// few run side by side, on any replica; their claims never overlap.
type SendArgs struct {
	NoticeID int64  `json:"notice_id"`
	Channel  string `json:"channel"`
}

// Kind names the job.
func (SendArgs) Kind() string { return "delivery_send" }

// SendersPerChannel is how many send jobs a publish starts per channel.
const SendersPerChannel = 2

// Run is one unit of delivery work the sweeper may restart: a fan-out
// (Channel empty) or a channel's sending.
type Run struct {
	NoticeID int64
	Channel  string
	Priority int
}
