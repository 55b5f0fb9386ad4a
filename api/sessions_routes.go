package api

// sessionRoutes registers liaison points, schedules, bookings and the
// cadre's session desk (documented in openapi/40-sessions.yaml).
func (s *Server) sessionRoutes(g routeGroups) {
	v1, admin, my, work := g.v1, g.admin, g.my, g.work
	v1.GET("/points", s.publicPoints)
	v1.GET("/points/:id", s.publicPoint)
	v1.GET("/points/:id/sessions", s.pointSessions)

	my.POST("/bookings", s.book)
	my.GET("/bookings", s.listBookings)
	my.GET("/bookings/:id", s.getBooking)
	my.POST("/bookings/:id/cancel", s.cancelBooking)

	work.GET("/sessions", s.workSessions)
	work.GET("/sessions/:id", s.workSession)
	work.POST("/sessions/:id/checkin", s.checkin)
	work.POST("/sessions/:id/walk-ins", s.walkIn)
	work.POST("/sessions/:id/close", s.closeSession)

	admin.GET("/points", s.listPoints)
	admin.POST("/points", s.createPoint)
	admin.GET("/points/:id", s.getPoint)
	admin.PATCH("/points/:id", s.updatePoint)
	admin.PUT("/points/:id", s.updatePoint)
	admin.DELETE("/points/:id", s.deletePoint)
	admin.GET("/points/:id/schedule", s.getSchedule)
	admin.PUT("/points/:id/schedule", s.putSchedule)
	admin.POST("/points/:id/sessions", s.addSession)
	admin.GET("/points/:id/wxacode", s.pointCode)
	admin.POST("/sessions/:id/cancel", s.cancelSession)
}
