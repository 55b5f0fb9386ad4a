// The signed-in person: a resident's profile (/my/profile), staff sign-in,
// password and logout (/auth/*).
const api = require('../utils/api')

module.exports = {
  /** @returns {Promise<import('../types/data').Data<'getMyProfile'>>} */
  get: () => api.get('/my/profile'),
  /** @param {Record<string, any>} body @returns {Promise<import('../types/data').Data<'putMyProfile'>>} */
  save: (body) => api.put('/my/profile', body),
  /** The WeChat phone number button's code. @param {string} code @returns {Promise<import('../types/data').Data<'postMyProfilePhone'>>} */
  phone: (code) => api.post('/my/profile/phone', { code }),
  /** @returns {Promise<import('../types/data').Data<'postAuthWechat'>>} */
  residentLogin: () => api.residentLogin(),
  /** @param {string} username @param {string} password @returns {Promise<import('../types/data').Data<'postAuthStaff'>>} */
  staffLogin: (username, password) => api.staffLogin(username, password),
  staffBindWechat: () => api.staffBindWechat(),
  /** @param {string} oldPassword @param {string} newPassword */
  changePassword: (oldPassword, newPassword) => api.post('/auth/password', { old_password: oldPassword, new_password: newPassword }),
  logout: () => api.post('/auth/logout', {}),
}
