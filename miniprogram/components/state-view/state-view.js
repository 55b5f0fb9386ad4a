// Loading / empty / error placeholder. Fires `retry` from the error state.
Component({
  // The page's .elder (and app.wxss) reach inside: elder mode enlarges this component too.
  options: { addGlobalClass: true },
  properties: {
    state: { type: String, value: 'loading' },
    message: { type: String, value: '' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry')
    },
  },
})
