// Liaison points, their sessions and a resident's bookings (/points, /my/bookings).
const api = require('../utils/api')

module.exports = {
  /** @param {Record<string, any>} [query] lat, lng (nearest first), page_size @returns {Promise<import('../types/data').Data<'getPoints'>>} */
  points: (query) => api.get('/points', query),
  /** @param {number} id @returns {Promise<import('../types/data').Data<'getPointsById'>>} */
  point: (id) => api.get(`/points/${id}`),
  /** @param {number} pointId @param {Record<string, any>} [query] @returns {Promise<import('../types/data').Data<'getPointsByIdSessions'>>} */
  pointSessions: (pointId, query) => api.get(`/points/${pointId}/sessions`, query),
  /** @param {Record<string, any>} [query] @returns {Promise<import('../types/data').Data<'getMyBookings'>>} */
  bookings: (query) => api.get('/my/bookings', query),
  /** @param {Record<string, any>} body {slot_id, topic?} @param {string} key one per slot attempt @returns {Promise<import('../types/data').Data<'postMyBookings'>>} */
  book: (body, key) => api.post('/my/bookings', body, { idempotencyKey: key }),
  /** @param {number} id @returns {Promise<import('../types/data').Data<'postMyBookingsByIdCancel'>>} */
  cancelBooking: (id) => api.post(`/my/bookings/${id}/cancel`, {}),
}
