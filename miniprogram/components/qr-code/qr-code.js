// A QR code drawn with views (no canvas), so it renders everywhere and is
// easy to test. Uses the MIT qrcode-generator by Kazuhiko Arase (vendored).
const qrcode = require('../../utils/vendor/qrcode')

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

Component({
  properties: {
    value: { type: String, value: '' },
    size: { type: Number, value: 400 },
  },
  data: { rows: [], cell: 0 },
  observers: {
    'value, size': function (value, size) {
      if (!value) {
        this.setData({ rows: [], cell: 0 })
        return
      }
      const rows = matrix(value)
      this.setData({ rows: rows.map((r, i) => ({ i, cells: r })), cell: Math.floor(size / rows.length) })
    },
  },
})

module.exports = { matrix }
