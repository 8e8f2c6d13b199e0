package flows

import (
	"sync/atomic"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
)

// HasStep reports whether s is a step the conversation defines: a stored
// session must always be on one.
func (f *Flows) HasStep(s domain.Step) bool {
	_, ok := f.steps[s]
	return ok
}

// CountQuestions makes f count the questions it builds, every step's ask,
// into n.
func (f *Flows) CountQuestions(n *atomic.Int32) {
	for s, d := range f.steps {
		ask := d.ask
		d.ask = func(t *turn) (dialog.Reply, error) {
			n.Add(1)
			return ask(t)
		}
		f.steps[s] = d
	}
}
