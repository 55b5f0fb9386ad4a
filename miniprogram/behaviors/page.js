// Shared by every page: elder mode (read from storage on attach and on show).
const prefs = require('../utils/prefs')

module.exports = Behavior({
  data: { elder: false },
  lifetimes: {
    attached() {
      this.setData({ elder: prefs.isElder() })
    },
  },
  pageLifetimes: {
    show() {
      const elder = prefs.isElder()
      if (elder !== this.data.elder) this.setData({ elder })
    },
  },
})
