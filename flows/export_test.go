package flows

// HasStep reports whether s is a step the conversation defines: a stored
// session must always be on one.
func (f *Flows) HasStep(s Step) bool {
	_, ok := f.steps[s]
	return ok
}
