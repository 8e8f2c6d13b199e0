package tgfake

import "strconv"

// Raw queues an update written by hand: members is the JSON of its
// fields after update_id, e.g. `"message":{"message_id":"x"}`, sent as
// is (valid or not) to test how the bot copes with updates it cannot
// read; kind is its type for allowed_updates ("message"). It returns the
// update id.
func (s *Server) Raw(kind, members string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextUpdate
	s.nextUpdate++
	body := []byte(`{"update_id":` + strconv.Itoa(id) + `,` + members + `}`)
	s.queue = append(s.queue, pending{id: id, kind: kind, body: body})
	s.notifyLocked()
	s.startDeliveryLocked()
	return id
}
