package service

import (
	"context"

	"zhilian/model"
)

// Contact is the person an item is about, as the viewer may see them.
type Contact struct {
	Name        string
	Phone       string // unmasked, or masked (138****5678), or ""
	PhoneMasked bool
}

// WorkDetail is a request with everything a cadre needs to handle it.
type WorkDetail struct {
	*model.Request
	Timeline    []model.RequestEvent // internal and public
	Images      []RequestImage
	Contact     Contact
	Invitations []model.Invitation
	Clock       DueClock
	CanAct      bool // the caller's jurisdiction holds the item
}

// errWorkNotFound is what staff get for items outside their reach.
var errWorkNotFound = model.E(model.CodeNotFound, "诉求不存在")

// visible loads a request the caller may see: inside their jurisdiction, or
// one their department was invited on. canAct says which.
func (w *Work) visible(ctx context.Context, p *model.Principal, id int64) (*model.Request, bool, error) {
	if !p.IsStaff() {
		return nil, false, errWorkNotFound
	}
	r, err := w.requests.Get(ctx, id)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return nil, false, errWorkNotFound
		}
		return nil, false, err
	}
	if p.Reaches(r.OrgPath) {
		return r, true, nil
	}
	if p.OrgKind == model.OrgDepartment {
		invited, err := w.repo.Invited(ctx, r.ID, p.OrgID)
		if err != nil {
			return nil, false, err
		}
		if invited {
			return r, false, nil
		}
	}
	return nil, false, errWorkNotFound
}

// CanView implements RequestGuard for staff: the jurisdiction, or an invited
// department; residents are asked of the resident side.
func (w *Work) CanView(ctx context.Context, p *model.Principal, requestID int64) (bool, error) {
	if !p.IsStaff() {
		return w.residentsS.CanView(ctx, p, requestID)
	}
	_, _, err := w.visible(ctx, p, requestID)
	if model.IsCode(err, model.CodeNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Detail returns an item with its whole timeline, photos, contact, invitations and due times.
func (w *Work) Detail(ctx context.Context, p *model.Principal, id int64) (*WorkDetail, error) {
	r, canAct, err := w.visible(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return w.detail(ctx, p, r, canAct)
}

func (w *Work) detail(ctx context.Context, p *model.Principal, r *model.Request, canAct bool) (*WorkDetail, error) {
	events, err := w.requests.Events(ctx, r.ID, false)
	if err != nil {
		return nil, err
	}
	images, err := w.requests.Images(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	invs, err := w.repo.Invitations(ctx, model.InvitationFilter{RequestID: r.ID, Size: 50})
	if err != nil {
		return nil, err
	}
	contact, err := w.contact(ctx, p, r)
	if err != nil {
		return nil, err
	}
	clk, err := w.clock(ctx)
	if err != nil {
		return nil, err
	}
	return &WorkDetail{Request: r, Timeline: events, Images: images, Contact: contact, Invitations: invs.Items,
		Clock: clk, CanAct: canAct}, nil
}

// contact opens the phone of the item's person for staff of the handling org
// (model.PhoneVisibleTo) and masks it for everyone else.
func (w *Work) contact(ctx context.Context, p *model.Principal, r *model.Request) (Contact, error) {
	var c Contact
	var sealed []byte
	purpose := ContactPurpose
	var residentID int64
	if r.ResidentID != nil {
		residentID = *r.ResidentID
		res, err := w.residents.Get(ctx, residentID)
		if err != nil && !model.IsCode(err, model.CodeNotFound) {
			return c, err
		}
		if res != nil {
			c.Name, sealed, purpose = res.Name, res.PhoneEnc, PhonePurpose
		}
	} else {
		c.Name, sealed = r.ContactName, r.ContactPhoneEnc
	}
	if len(sealed) == 0 {
		return c, nil
	}
	phone, err := w.sealer.Open(sealed, purpose)
	if err != nil {
		w.log.ErrorContext(ctx, "contact phone unreadable with the configured keys", "request_id", r.ID)
		return c, nil
	}
	if model.PhoneVisibleTo(p, residentID, r.OrgPath) {
		c.Phone = phone
		return c, nil
	}
	c.Phone, c.PhoneMasked = model.MaskPhone(phone), true
	return c, nil
}
