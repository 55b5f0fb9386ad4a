// The signed-in person: a resident's profile (/my/profile), staff sign-in,
// password and logout (/auth/*).
const api = require('../utils/api')

module.exports = {
  get: () => api.get('/my/profile'),
  /** @param {Record<string, any>} body */
  save: (body) => api.put('/my/profile', body),
  /** The WeChat phone number button's code. @param {string} code */
  phone: (code) => api.post('/my/profile/phone', { code }),
  residentLogin: () => api.residentLogin(),
  /** @param {string} username @param {string} password */
  staffLogin: (username, password) => api.staffLogin(username, password),
  staffBindWechat: () => api.staffBindWechat(),
  /** @param {string} oldPassword @param {string} newPassword */
  changePassword: (oldPassword, newPassword) => api.post('/auth/password', { old_password: oldPassword, new_password: newPassword }),
  logout: () => api.post('/auth/logout', {}),
}
