// Every page path in one place (app.json lists the same pages).
module.exports = {
  launch: '/pages/launch/launch',
  profile: '/pages/profile/profile',
  home: '/pages/home/home',
  submit: '/pages/submit/submit',
  requests: '/pages/requests/requests',
  request: '/pages/request/request',
  follow: '/pages/follow/follow',
  points: '/pages/points/points',
  bookings: '/pages/bookings/bookings',
  staffLogin: '/pages/work/login/login',
  password: '/pages/work/password/password',
  inbox: '/pages/work/inbox/inbox',
  item: '/pages/work/item/item',
  invitations: '/pages/work/invitations/invitations',
  session: '/pages/work/session/session',
  stats: '/pages/work/stats/stats',
}
