// A resident's requests and follows (/my/requests, /my/similar, /my/follows)
// and photo uploads.
const api = require('../utils/api')

module.exports = {
  /** @param {Record<string, any>} [query] */
  mine: (query) => api.get('/my/requests', query),
  /** @param {number} id */
  get: (id) => api.get(`/my/requests/${id}`),
  /** @param {Record<string, any>} body @param {string} key the draft's Idempotency-Key */
  submit: (body, key) => api.post('/my/requests', body, { idempotencyKey: key }),
  /** @param {number} id */
  withdraw: (id) => api.post(`/my/requests/${id}/withdraw`, {}),
  /** @param {number} id @param {Record<string, any>} body {score, comment?, redo} */
  rate: (id, body) => api.post(`/my/requests/${id}/rating`, body),
  /** Open look-alike items of the community before submitting. @param {Record<string, any>} query */
  similar: (query) => api.get('/my/similar', query),
  /** @param {Record<string, any>} [query] */
  follows: (query) => api.get('/my/follows', query),
  /** 「我也遇到」 @param {number} id */
  follow: (id) => api.post('/my/follows', { request_id: id }),
  /** @param {number} id */
  followed: (id) => api.get(`/my/follows/${id}`),
  /** @param {number} id */
  unfollow: (id) => api.del(`/my/follows/${id}`),
  /** @param {string} path a temp file from wx.chooseMedia */
  upload: (path) => api.upload(path),
}
