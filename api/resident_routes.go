package api

// residentRoutes adds the residents' routes (profile, account, uploads,
// requests) and the category routes. Uploads get their own body limit.
func (s *Server) residentRoutes(g routeGroups) {
	v1, signed, admin, my := g.v1, g.signed, g.admin, g.my
	v1.GET("/categories", s.publicCategories)

	admin.GET("/categories", s.listCategories)
	admin.POST("/categories", s.createCategory)
	admin.GET("/categories/:id", s.getCategory)
	admin.PATCH("/categories/:id", s.updateCategory)
	admin.PUT("/categories/:id", s.updateCategory)
	admin.DELETE("/categories/:id", s.deleteCategory)

	g.upload.POST("/uploads", s.upload)
	signed.GET("/uploads/:id", s.getUpload)
	v1.GET("/images/:id", s.getImage)

	my.GET("/profile", s.getProfile)
	my.PUT("/profile", s.updateProfile)
	my.PATCH("/profile", s.updateProfile)
	my.POST("/profile/phone", s.profilePhone)
	my.DELETE("/account", s.deleteAccount)

	my.POST("/requests", s.submitRequest)
	my.GET("/requests", s.listMyRequests)
	my.GET("/requests/:id", s.getMyRequest)
	my.POST("/requests/:id/withdraw", s.withdrawRequest)
	my.POST("/requests/:id/rating", s.rateRequest)
}
