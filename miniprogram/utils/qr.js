// QR codes: the module matrix of a booking's QR payload (drawn by the
// qr-code component) and the check-in code inside a scanned payload.
const qrcode = require('./vendor/qrcode')

/** The module matrix of a text: rows of booleans. @param {string} text */
function matrix(text) {
  const qr = qrcode(0, 'M')
  qr.addData(text)
  qr.make()
  const n = qr.getModuleCount()
  const rows = []
  for (let r = 0; r < n; r++) {
    const row = []
    for (let c = 0; c < n; c++) row.push(qr.isDark(r, c))
    rows.push(row)
  }
  return rows
}

/** The check-in code in a scanned QR payload ("…:CODE" or just "CODE"). @param {string} text */
function codeFromScan(text) {
  const t = String(text || '').trim()
  const i = t.lastIndexOf(':')
  return i >= 0 ? t.slice(i + 1) : t
}

module.exports = { matrix, codeFromScan }
