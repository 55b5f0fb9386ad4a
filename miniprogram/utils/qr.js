// QR codes: the module matrix of a booking's QR payload (drawn by the
// qr-code component). A scanned payload goes to the server as it is.
// qrcode-generator (MIT, Kazuhiko Arase) is an npm dependency: in WeChat
// DevTools 「工具 → 构建 npm」 turns it into miniprogram_npm/qrcode-generator,
// which the mini-program's require() finds by the package name; under jest and
// tsc the same name resolves to node_modules.
const qrcode = require('qrcode-generator')

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

module.exports = { matrix }
