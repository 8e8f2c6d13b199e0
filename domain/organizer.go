package domain

// Desk is a step of race day at the desk.
type Desk string
