package flows

import (
	"fmt"

	"github.com/runforautism/rfabot/domain"
)

// registry is what the features of the conversation define: the steps
// they ask and the commands they take. Each feature registers its own,
// from its own file; New collects them through features.
type registry struct {
	steps    map[domain.Step]stepDef
	commands map[string]chatCommand
	// admin are the organizers' commands: invisible to everyone else.
	admin map[string]adminCommand
}

// chatCommand takes "/name arg" from anyone.
type chatCommand func(t *turn, arg string) error

// features register the conversation's steps and commands, each those of
// one area.
var features = []func(*registry){
	registerMenu,
	registerRegistration,
	registerManage,
	registerFunStarts,
	registerOnline,
	registerSupport,
	registerFAQ,
	registerDiplomas,
	registerOrganizers,
	registerBroadcast,
	registerReview,
	registerDesk,
}

// newRegistry collects what every feature registers.
func newRegistry() *registry {
	r := &registry{steps: map[domain.Step]stepDef{}, commands: map[string]chatCommand{}, admin: map[string]adminCommand{}}
	for _, register := range features {
		register(r)
	}
	return r
}

// addSteps adds steps. A name that two features define is a bug, and
// New panics on it.
func (r *registry) addSteps(steps map[domain.Step]stepDef) { add(r.steps, steps) }

// addCommands adds commands everyone may use, by name.
func (r *registry) addCommands(cmds map[string]chatCommand) { add(r.commands, cmds) }

// addAdminCommands adds organizers' commands, by name.
func (r *registry) addAdminCommands(cmds map[string]adminCommand) { add(r.admin, cmds) }

func add[K ~string, V any](to, from map[K]V) {
	for k, v := range from {
		if _, dup := to[k]; dup {
			panic(fmt.Sprintf("flows: %q registered twice", k))
		}
		to[k] = v
	}
}
