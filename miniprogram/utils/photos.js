// Photos of a request as the server lists them ({id, url, stage}): url is a
// short-lived signed link (GET /api/v1/images/{id}?exp&sig) that <image> can
// load without a Bearer header; it is relative to the API's base URL.
const config = require('../config')

/**
 * The photos with an absolute `src`, split by the stage they were attached
 * at: the resident's (submit) and the cadre's result photos (result).
 * @param {{id: number, url: string, stage?: string}[]} [photos]
 */
function split(photos) {
  const base = config.baseURL()
  const all = (photos || []).map((p) => ({ id: p.id, stage: p.stage || 'submit', src: /^https?:/.test(p.url) ? p.url : base + p.url }))
  return { submitted: all.filter((p) => p.stage !== 'result'), results: all.filter((p) => p.stage === 'result') }
}

/**
 * Opens a photo full screen with its siblings (wx.previewImage); the tapped
 * element carries data-src and data-group (the list's srcs joined by '\n').
 */
function preview(e) {
  const d = e.currentTarget.dataset
  const urls = String(d.group || d.src).split('\n')
  wx.previewImage({ current: d.src, urls })
}

module.exports = { split, preview }
