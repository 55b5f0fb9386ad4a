package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
	"zhilian/service"
)

// integratorRoutes adds the city admins' management of Open311 integrators,
// their API keys, and the service definitions (extra attributes) of categories.
func (s *Server) integratorRoutes(g routeGroups) {
	admin := g.admin
	admin.GET("/integrators", s.listIntegrators)
	admin.POST("/integrators", s.createIntegrator)
	admin.GET("/integrators/:id", s.getIntegrator)
	admin.GET("/integrators/:id/keys", s.listKeys)
	admin.POST("/integrators/:id/keys", s.issueKey)
	admin.POST("/integrators/:id/keys/:key_id/revoke", s.revokeKey)

	admin.GET("/categories/:id/attributes", s.getAttributes)
	admin.PUT("/categories/:id/attributes", s.putAttributes)
}

type integratorDTO struct {
	ID         int64       `json:"id"`
	Name       string      `json:"name"`
	Contact    string      `json:"contact"`
	ActiveKeys int64       `json:"active_keys"`
	LastUsedAt *string     `json:"last_used_at"`
	CreatedAt  string      `json:"created_at"`
	Keys       []apiKeyDTO `json:"keys,omitempty"`
}

func toIntegrator(it *model.Integrator) integratorDTO {
	return integratorDTO{ID: it.ID, Name: it.Name, Contact: it.Contact, ActiveKeys: it.ActiveKeys,
		LastUsedAt: timePtr(it.LastUsedAt), CreatedAt: rfc3339(it.CreatedAt)}
}

// apiKeyDTO is a key as admins list it: never the key itself, only its prefix.
type apiKeyDTO struct {
	ID             int64           `json:"id"`
	IntegratorID   int64           `json:"integrator_id"`
	IntegratorName string          `json:"integrator_name"`
	Prefix         string          `json:"prefix"`
	OrgID          int64           `json:"org_id"`
	OrgName        string          `json:"org_name"`
	RatePerMinute  int             `json:"rate_per_minute"`
	Note           string          `json:"note"`
	Status         model.KeyStatus `json:"status"`
	CreatedAt      string          `json:"created_at"`
	LastUsedAt     *string         `json:"last_used_at"`
	RevokedAt      *string         `json:"revoked_at"`
}

func toAPIKey(k *model.APIKey) apiKeyDTO {
	return apiKeyDTO{ID: k.ID, IntegratorID: k.IntegratorID, IntegratorName: k.IntegratorName, Prefix: k.Prefix,
		OrgID: k.OrgID, OrgName: k.OrgName, RatePerMinute: k.RatePerMinute, Note: k.Note, Status: k.Status(),
		CreatedAt: rfc3339(k.CreatedAt), LastUsedAt: timePtr(k.LastUsedAt), RevokedAt: timePtr(k.RevokedAt)}
}

func toAPIKeys(keys []model.APIKey) []apiKeyDTO {
	out := make([]apiKeyDTO, len(keys))
	for i := range keys {
		out[i] = toAPIKey(&keys[i])
	}
	return out
}

func (s *Server) listIntegrators(c *gin.Context) {
	cur, size, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.d.Integrators.List(c.Request.Context(), principal(c), cur, size)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, pageOf(page.Items, page.NextCursor, func(it model.Integrator) integratorDTO { return toIntegrator(&it) }))
}

type integratorReq struct {
	Name    string `json:"name" binding:"required,max=64"`
	Contact string `json:"contact" binding:"max=200"`
}

func (s *Server) createIntegrator(c *gin.Context) {
	var in integratorReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	it, err := s.d.Integrators.Create(c.Request.Context(), principal(c), actor(c), in.Name, in.Contact)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusCreated, toIntegrator(it))
}

func (s *Server) getIntegrator(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	it, keys, err := s.d.Integrators.Get(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	d := toIntegrator(it)
	d.Keys = toAPIKeys(keys)
	ok(c, http.StatusOK, d)
}

func (s *Server) listKeys(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	keys, err := s.d.Integrators.Keys(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, page[apiKeyDTO]{Items: toAPIKeys(keys)})
}

type issueKeyReq struct {
	OrgID         int64  `json:"org_id" binding:"omitempty,min=1"`
	RatePerMinute int    `json:"rate_per_minute" binding:"omitempty,min=1,max=6000"`
	Note          string `json:"note" binding:"max=200"`
}

// issuedKeyDTO is a new key: the only answer that carries the key itself.
type issuedKeyDTO struct {
	apiKeyDTO
	Key string `json:"key"`
}

func (s *Server) issueKey(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in issueKeyReq
	if c.Request.ContentLength != 0 {
		if err := bindJSON(c, &in); err != nil {
			fail(c, err)
			return
		}
	}
	k, err := s.d.Integrators.Issue(c.Request.Context(), principal(c), actor(c), id,
		service.KeyInput{OrgID: in.OrgID, RatePerMinute: in.RatePerMinute, Note: in.Note})
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	ok(c, http.StatusCreated, issuedKeyDTO{apiKeyDTO: toAPIKey(k.APIKey), Key: k.Key})
}

func (s *Server) revokeKey(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	keyID, err := pathID(c, "key_id")
	if err != nil {
		fail(c, err)
		return
	}
	k, err := s.d.Integrators.Revoke(c.Request.Context(), principal(c), actor(c), id, keyID)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toAPIKey(k))
}

type attrValueReq struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

type attributeReq struct {
	Code                string         `json:"code"`
	Datatype            string         `json:"datatype"`
	Variable            *bool          `json:"variable"`
	Required            bool           `json:"required"`
	Description         string         `json:"description"`
	DatatypeDescription string         `json:"datatype_description"`
	Values              []attrValueReq `json:"values"`
}

type attributesReq struct {
	Attributes []attributeReq `json:"attributes"`
}

type attributeDTO struct {
	Code                string         `json:"code"`
	Datatype            model.AttrType `json:"datatype"`
	Variable            bool           `json:"variable"`
	Required            bool           `json:"required"`
	Order               int            `json:"order"`
	Description         string         `json:"description"`
	DatatypeDescription string         `json:"datatype_description"`
	Values              []attrValueReq `json:"values"`
}

func toAttributes(attrs []model.ServiceAttribute) []attributeDTO {
	out := make([]attributeDTO, len(attrs))
	for i, a := range attrs {
		out[i] = attributeDTO{Code: a.Code, Datatype: a.Datatype, Variable: a.Variable, Required: a.Required, Order: a.Position,
			Description: a.Description, DatatypeDescription: a.DatatypeDescription, Values: []attrValueReq{}}
		for _, v := range a.Values {
			out[i].Values = append(out[i].Values, attrValueReq{Key: v.Key, Name: v.Name})
		}
	}
	return out
}

func (s *Server) getAttributes(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	attrs, err := s.d.Open311.Attributes(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, page[attributeDTO]{Items: toAttributes(attrs)})
}

func (s *Server) putAttributes(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in attributesReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	if in.Attributes == nil {
		fail(c, model.Invalid("缺少字段 attributes（清空请传空数组）"))
		return
	}
	attrs := make([]model.ServiceAttribute, len(in.Attributes))
	for i, a := range in.Attributes {
		variable := a.Variable == nil || *a.Variable
		attrs[i] = model.ServiceAttribute{Code: a.Code, Datatype: model.AttrType(a.Datatype), Variable: variable,
			Required: a.Required, Description: a.Description, DatatypeDescription: a.DatatypeDescription}
		for _, v := range a.Values {
			attrs[i].Values = append(attrs[i].Values, model.AttrValue{Key: v.Key, Name: v.Name})
		}
	}
	out, err := s.d.Open311.SetAttributes(c.Request.Context(), principal(c), actor(c), id, attrs)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, page[attributeDTO]{Items: toAttributes(out)})
}
