package flows

// Assess exposes the help flow's detector to the tests: the kind
// ("crisis", "support" or "") and the language of a message.
func Assess(text string, aboutChild bool) (kind, lang string) {
	c, l := assess(text, aboutChild)
	if c == concernNone {
		return "", l
	}
	return c.kind(), l
}

// AsksBotHelp exposes asksBotHelp to the tests.
var AsksBotHelp = asksBotHelp

// HasStep reports whether s is a step the conversation defines: a stored
// session must always be on one.
func (f *Flows) HasStep(s Step) bool {
	_, ok := f.steps[s]
	return ok
}
