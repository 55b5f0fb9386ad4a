// The cadre side: the inbox and items (/work/requests), invitations, the
// session desk (/work/sessions, /work/topics).
const api = require('../utils/api')

module.exports = {
  /** @param {Record<string, any>} [query] */
  inbox: (query) => api.get('/work/requests', query),
  /** @param {number} id */
  item: (id) => api.get(`/work/requests/${id}`),
  /** Followers, likely duplicates and merges. @param {number} id */
  links: (id) => api.get(`/work/requests/${id}/similar`),
  /** @param {number} id @param {number} into */
  merge: (id, into) => api.post(`/work/requests/${id}/merge`, { into }),
  /** One of the item's action_items. @param {number} id @param {string} action @param {Record<string, any>} body */
  act: (id, action, body) => api.post(`/work/requests/${id}/${action}`, body),
  /** @param {Record<string, any>} [query] side, page_size */
  invitations: (query) => api.get('/work/invitations', query),
  /** @param {number} id @param {string} action accept, decline, reply @param {Record<string, any>} body */
  answerInvitation: (id, action, body) => api.post(`/work/invitations/${id}/${action}`, body),
  /** @param {Record<string, any>} [query] */
  sessions: (query) => api.get('/work/sessions', query),
  /** @param {number} id */
  session: (id) => api.get(`/work/sessions/${id}`),
  /** @param {Record<string, any>} query point_id */
  topics: (query) => api.get('/work/topics', query),
  /** @param {number} sessionId @param {string} code */
  checkin: (sessionId, code) => api.post(`/work/sessions/${sessionId}/checkin`, { code }),
  /** @param {number} sessionId @param {Record<string, any>} body */
  walkIn: (sessionId, body) => api.post(`/work/sessions/${sessionId}/walk-ins`, body),
  /** @param {number} sessionId @param {string} summary */
  closeSession: (sessionId, summary) => api.post(`/work/sessions/${sessionId}/close`, { summary }),
  /** @param {string} path */
  upload: (path) => api.upload(path),
}
