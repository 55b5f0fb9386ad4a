// A resident's requests and follows (/my/requests, /my/similar, /my/follows)
// and photo uploads; sharing a request (/my/requests/{id}/share) and the
// public view behind a share link (/public/requests/{token}).
const api = require('../utils/api')

module.exports = {
  /** @param {Record<string, any>} [query] @returns {Promise<import('../types/data').Data<'getMyRequests'>>} */
  mine: (query) => api.get('/my/requests', query),
  /** @param {number} id @returns {Promise<import('../types/data').Data<'getMyRequestsById'>>} */
  get: (id) => api.get(`/my/requests/${id}`),
  /** @param {Record<string, any>} body @param {string} key the draft's Idempotency-Key @returns {Promise<import('../types/data').Data<'postMyRequests'>>} */
  submit: (body, key) => api.post('/my/requests', body, { idempotencyKey: key }),
  /** @param {number} id @returns {Promise<import('../types/data').Data<'postMyRequestsByIdWithdraw'>>} */
  withdraw: (id) => api.post(`/my/requests/${id}/withdraw`, {}),
  /** @param {number} id @param {Record<string, any>} body {score, comment?, redo} @returns {Promise<import('../types/data').Data<'postMyRequestsByIdRating'>>} */
  rate: (id, body) => api.post(`/my/requests/${id}/rating`, body),
  /** Open look-alike items of the community before submitting. @param {Record<string, any>} query @returns {Promise<import('../types/data').Data<'getMySimilar'>>} */
  similar: (query) => api.get('/my/similar', query),
  /** @param {Record<string, any>} [query] @returns {Promise<import('../types/data').Data<'getMyFollows'>>} */
  follows: (query) => api.get('/my/follows', query),
  /** 「我也遇到」 @param {number} id @returns {Promise<import('../types/data').Data<'postMyFollows'>>} */
  follow: (id) => api.post('/my/follows', { request_id: id }),
  /** @param {number} id @returns {Promise<import('../types/data').Data<'getMyFollowsById'>>} */
  followed: (id) => api.get(`/my/follows/${id}`),
  /** @param {number} id */
  unfollow: (id) => api.del(`/my/follows/${id}`),
  /** The share link of one of my requests (made the first time). @param {number} id @returns {Promise<import('../types/data').Data<'postMyRequestsByIdShare'>>} */
  share: (id) => api.post(`/my/requests/${id}/share`, {}),
  /** A shared request's public view (no sign-in needed). @param {string} token @returns {Promise<import('../types/data').Data<'getPublicRequestsByToken'>>} */
  shared: (token) => api.get(`/public/requests/${encodeURIComponent(token)}`),
  /** @param {string} path a temp file from wx.chooseMedia @returns {Promise<import('../types/data').Data<'postUploads'>>} */
  upload: (path) => api.upload(path),
}
