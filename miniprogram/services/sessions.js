// Liaison points, their sessions and a resident's bookings (/points, /my/bookings).
const api = require('../utils/api')

module.exports = {
  /** @param {Record<string, any>} [query] lat, lng (nearest first), page_size */
  points: (query) => api.get('/points', query),
  /** @param {number} id */
  point: (id) => api.get(`/points/${id}`),
  /** @param {number} pointId @param {Record<string, any>} [query] */
  pointSessions: (pointId, query) => api.get(`/points/${pointId}/sessions`, query),
  /** @param {Record<string, any>} [query] */
  bookings: (query) => api.get('/my/bookings', query),
  /** @param {Record<string, any>} body {slot_id, topic?} @param {string} key one per slot attempt */
  book: (body, key) => api.post('/my/bookings', body, { idempotencyKey: key }),
  /** @param {number} id */
  cancelBooking: (id) => api.post(`/my/bookings/${id}/cancel`, {}),
}
