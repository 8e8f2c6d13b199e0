package flows

import (
	"github.com/runforautism/rfabot/domain"
)

const (
	StepLang        domain.Step = "lang"
	StepMenu        domain.Step = "menu"
	StepInfo        domain.Step = "info"
	StepMine        domain.Step = "mine"
	StepResume      domain.Step = "resume"
	StepRegName     domain.Step = "reg.name"
	StepRegBirth    domain.Step = "reg.birth"
	StepRegGender   domain.Step = "reg.gender"
	StepRegPhone    domain.Step = "reg.phone"
	StepRegMode     domain.Step = "reg.mode"
	StepRegDistance domain.Step = "reg.distance"
	StepRegCategory domain.Step = "reg.category"
	StepRegTShirt   domain.Step = "reg.tshirt"
	StepRegEmName   domain.Step = "reg.emergency_name"
	StepRegEmPhone  domain.Step = "reg.emergency_phone"
	StepRegGuardian domain.Step = "reg.guardian"
	StepRegConsent  domain.Step = "reg.consent"
	StepRegSummary  domain.Step = "reg.summary"
	StepRegEdit     domain.Step = "reg.edit"
	StepRegCancel   domain.Step = "reg.cancel"
	StepRegDone     domain.Step = "reg.done"
	StepRegPromo    domain.Step = "reg.promo"

	// My registrations: one registration and the changes to it.
	StepMyReg        domain.Step = "my.reg"
	StepMyTShirt     domain.Step = "my.tshirt"
	StepMyEmName     domain.Step = "my.em_name"
	StepMyEmPhone    domain.Step = "my.em_phone"
	StepMyDistance   domain.Step = "my.distance"
	StepMyDistanceOK domain.Step = "my.distance_ok"
	StepMyMode       domain.Step = "my.mode"
	StepMyTrName     domain.Step = "my.tr_name"
	StepMyTrBirth    domain.Step = "my.tr_birth"
	StepMyTrGender   domain.Step = "my.tr_gender"
	StepMyTrPhone    domain.Step = "my.tr_phone"
	StepMyTrEmName   domain.Step = "my.tr_em_name"
	StepMyTrEmPhone  domain.Step = "my.tr_em_phone"
	StepMyTrGuardian domain.Step = "my.tr_guardian"
	StepMyTrConsent  domain.Step = "my.tr_consent"
	StepMyCancel     domain.Step = "my.cancel"
	// The changes of a Fun Starts child's entry (its screen is
	// StepMyReg, its cancel StepMyCancel).
	StepMyKidName   domain.Step = "my.kid_name"
	StepMyKidBirth  domain.Step = "my.kid_birth"
	StepMyKidNotes  domain.Step = "my.kid_notes"
	StepMyKidTShirt domain.Step = "my.kid_tshirt"

	StepFAQ domain.Step = "faq"

	StepFun        domain.Step = "fun"
	StepFunParent  domain.Step = "fun.parent"
	StepFunPhone   domain.Step = "fun.phone"
	StepFunChild   domain.Step = "fun.child"
	StepFunBirth   domain.Step = "fun.birth"
	StepFunNotes   domain.Step = "fun.notes"
	StepFunTShirt  domain.Step = "fun.tshirt"
	StepFunConsent domain.Step = "fun.consent"
	StepFunDone    domain.Step = "fun.done"

	// The help flow: the crisis or support answer, and the call-back
	// request.
	StepSupport        domain.Step = "support"
	StepSupportHandoff domain.Step = "support.handoff"
	// StepSupportCheck is the check question of a possible crisis.
	StepSupportCheck domain.Step = "support.check"
	// Organizers composing a broadcast.
	StepBcAudience domain.Step = "bc.audience"
	StepBcMode     domain.Step = "bc.mode"
	StepBcText     domain.Step = "bc.text"
	StepBcPreview  domain.Step = "bc.preview"

	// Results: a user picking one of their diplomas; an online runner
	// sending their result; organizers reviewing online results and
	// importing a results file.
	StepDiploma      domain.Step = "diploma"
	StepOnlinePick   domain.Step = "online.pick"
	StepOnlineTime   domain.Step = "online.time"
	StepOnlineProof  domain.Step = "online.proof"
	StepReview       domain.Step = "review"
	StepReviewReason domain.Step = "review.reason"
	StepImport       domain.Step = "import"
	// StepDesk is an organizer at the race-day desk in the chat
	// (/checkin).
	StepDesk domain.Step = "desk"
)
