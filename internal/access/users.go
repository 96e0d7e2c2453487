package access

// Denial is a refusal of a User Management change, with the reason to show.
type Denial struct{ Reason string }

func (d *Denial) Error() string { return d.Reason }

func deny(reason string) error { return &Denial{Reason: reason} }

// Change describes a User Management change for the rules to judge.
type Change struct {
	Actor    Role // the role of the person making the change
	Self     bool // the target is the actor's own access
	Current  Role // the target's role now (None when adding)
	New      Role // the role after the change (None when removing)
	Adding   bool
	Removing bool
}

// CheckChange applies the rules of User Management: only Admins and Owners manage users; nobody
// edits, lowers or revokes an Owner (so the last Owner always stays); nobody removes or changes
// their own access; an Admin grants at most Admin. A nil result allows the change.
func CheckChange(c Change) error {
	switch {
	case !c.Actor.Can(ManageUsers):
		return deny("Only an Admin or an Owner can manage users.")
	case c.Self && c.Removing:
		return deny("You cannot remove your own access. Ask another Admin or Owner.")
	case c.Self:
		return deny("You cannot change your own role or access. Ask another Admin or Owner.")
	case !c.Adding && c.Current == Owner && c.Removing:
		return deny("An Owner's access cannot be revoked.")
	case !c.Adding && c.Current == Owner:
		return deny("An Owner cannot be changed, by anyone.")
	case !c.Removing && !c.New.Valid():
		return deny("Choose a role.")
	case !c.Removing && c.New > c.Actor:
		return deny("You cannot grant a role above your own (" + c.Actor.Label() + ").")
	}
	return nil
}

// Grantable lists the roles an actor may give to others, lowest first.
func Grantable(actor Role) []Role {
	var out []Role
	for _, r := range Roles {
		if actor.Can(ManageUsers) && r <= actor {
			out = append(out, r)
		}
	}
	return out
}

// CheckDaysBack applies the horizon rule of User Management: nobody grants a wider horizon than
// their own, as nobody grants a role above their own. A nil days back is unlimited. A nil result
// allows the change.
func CheckDaysBack(actor, granted *int) error {
	switch {
	case actor == nil:
		return nil
	case granted == nil:
		return deny("You cannot grant unlimited days back: your own days back access is limited.")
	case *granted > *actor:
		return deny("You cannot grant more days back than your own days back access.")
	}
	return nil
}
