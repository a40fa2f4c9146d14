package kit

import "net/http"

// Stream answers with the Server-Sent Events of topic (live.CrisisTopic,
// live.DashboardTopic) until the browser goes or the server stops. The
// events say what changed; the page fetches the parts it shows again.
func (k *Kit) Stream(w http.ResponseWriter, r *http.Request, topic string) {
	k.live.Stream(r.Context(), w, topic)
}

// Viewers counts the pages streaming topic now, in this process.
func (k *Kit) Viewers(topic string) int { return k.live.Subscribers(topic) }
