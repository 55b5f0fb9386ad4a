// The cadre side: the inbox and items (/work/requests), invitations, the
// session desk (/work/sessions, /work/topics).
const api = require('../utils/api')

module.exports = {
  /** @param {Record<string, any>} [query] @returns {Promise<import('../types/data').Data<'getWorkRequests'>>} */
  inbox: (query) => api.get('/work/requests', query),
  /** @param {number} id @returns {Promise<import('../types/data').Data<'getWorkRequestsById'>>} */
  item: (id) => api.get(`/work/requests/${id}`),
  /** Followers, likely duplicates and merges. @param {number} id @returns {Promise<import('../types/data').Data<'getWorkRequestsByIdSimilar'>>} */
  links: (id) => api.get(`/work/requests/${id}/similar`),
  /** @param {number} id @param {number} into @returns {Promise<import('../types/data').Data<'postWorkRequestsByIdMerge'>>} */
  merge: (id, into) => api.post(`/work/requests/${id}/merge`, { into }),
  /** One of the item's action_items. @param {number} id @param {string} action @param {Record<string, any>} body */
  act: (id, action, body) => api.post(`/work/requests/${id}/${action}`, body),
  /** @param {Record<string, any>} [query] side, page_size @returns {Promise<import('../types/data').Data<'getWorkInvitations'>>} */
  invitations: (query) => api.get('/work/invitations', query),
  /** @param {number} id @param {string} action accept, decline, reply @param {Record<string, any>} body */
  answerInvitation: (id, action, body) => api.post(`/work/invitations/${id}/${action}`, body),
  /** @param {Record<string, any>} [query] @returns {Promise<import('../types/data').Data<'getWorkSessions'>>} */
  sessions: (query) => api.get('/work/sessions', query),
  /** @param {number} id @returns {Promise<import('../types/data').Data<'getWorkSessionsById'>>} */
  session: (id) => api.get(`/work/sessions/${id}`),
  /** @param {Record<string, any>} query point_id @returns {Promise<import('../types/data').Data<'getWorkTopics'>>} */
  topics: (query) => api.get('/work/topics', query),
  /** @param {number} sessionId @param {string} code @returns {Promise<import('../types/data').Data<'postWorkSessionsByIdCheckin'>>} */
  checkin: (sessionId, code) => api.post(`/work/sessions/${sessionId}/checkin`, { code }),
  /** @param {number} sessionId @param {Record<string, any>} body @returns {Promise<import('../types/data').Data<'postWorkSessionsByIdWalkIns'>>} */
  walkIn: (sessionId, body) => api.post(`/work/sessions/${sessionId}/walk-ins`, body),
  /** @param {number} sessionId @param {string} summary @returns {Promise<import('../types/data').Data<'postWorkSessionsByIdClose'>>} */
  closeSession: (sessionId, summary) => api.post(`/work/sessions/${sessionId}/close`, { summary }),
  /** @param {string} path @returns {Promise<import('../types/data').Data<'postUploads'>>} */
  upload: (path) => api.upload(path),
}
