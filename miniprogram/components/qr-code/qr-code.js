// A QR code drawn with views (no canvas), so it renders everywhere and is
// easy to test. The matrix comes from utils/qr.js (npm qrcode-generator).
const { matrix } = require('../../utils/qr')

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
