package tgfake

import "time"

// Watching many chats at once: Wait wakes at every change on the server,
// which is fine for a few users but not for the hundreds a load or crash
// test drives. Changed wakes only the chat's own watcher, and HandedAt
// tells when the bot got an update, to time the reply against it.

// Changed returns a channel that is closed at the next change of the
// bot's messages in chat chatID: a message sent or edited.
func (s *Server) Changed(chatID int64) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.watchers == nil {
		s.watchers = map[int64]chan struct{}{}
	}
	ch, ok := s.watchers[chatID]
	if !ok {
		ch = make(chan struct{})
		s.watchers[chatID] = ch
	}
	return ch
}

func (s *Server) chatChangedLocked(chatID int64) {
	if ch, ok := s.watchers[chatID]; ok {
		close(ch)
		delete(s.watchers, chatID)
	}
}

// HandedAt is when the update with id was first handed to the bot, in
// a getUpdates answer or a webhook post; ok is false before that.
func (s *Server) HandedAt(id int) (at time.Time, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok = s.handed[id]
	return at, ok
}

func (s *Server) handLocked(id int) {
	if s.handed == nil {
		s.handed = map[int]time.Time{}
	}
	if _, ok := s.handed[id]; !ok {
		s.handed[id] = time.Now()
	}
}
