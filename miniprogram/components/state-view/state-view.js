// Loading / empty / error placeholder. Fires `retry` from the error state;
// an empty state with an `action` label offers that next step as a button and
// fires `action` when it is tapped (e.g. 「还没有诉求」 · 「去提交」).
Component({
  // The page's .elder (and app.wxss) reach inside: elder mode enlarges this component too.
  options: { addGlobalClass: true },
  properties: {
    state: { type: String, value: 'loading' },
    message: { type: String, value: '' },
    action: { type: String, value: '' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry')
    },
    onAction() {
      this.triggerEvent('action')
    },
  },
})
