import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { hooks } from '@/api/client'
import { session } from '@/lib/session'
import { homeOf, isAdmin, isCityAdmin } from '@/lib/roles'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    public?: boolean
    admin?: boolean
    cityAdmin?: boolean
  }
}

// Every page is its own chunk: the sign-in page loads only what it needs.
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true, title: '登录' } },
  { path: '/password', name: 'password', component: () => import('@/views/PasswordView.vue'), meta: { title: '修改密码' } },
  {
    path: '/',
    component: () => import('@/views/AppLayout.vue'),
    children: [
      // Where a signed-in account starts is decided in the guard below (a
      // redirect here would run before the sign-in check).
      { path: '', name: 'home', component: { render: () => null } },
      { path: 'admin/accounts', name: 'accounts', component: () => import('@/views/admin/AccountsView.vue'), meta: { admin: true, title: '账号管理' } },
      { path: 'admin/orgs', name: 'orgs', component: () => import('@/views/admin/OrgsView.vue'), meta: { admin: true, title: '组织机构' } },
      { path: 'admin/categories', name: 'categories', component: () => import('@/views/admin/CategoriesView.vue'), meta: { admin: true, title: '类别与时限' } },
      { path: 'admin/points', name: 'points', component: () => import('@/views/admin/PointsView.vue'), meta: { admin: true, title: '驻点' } },
      { path: 'admin/points/:id', name: 'point', component: () => import('@/views/admin/PointView.vue'), meta: { admin: true, title: '驻点详情' } },
      { path: 'admin/holidays', name: 'holidays', component: () => import('@/views/admin/HolidaysView.vue'), meta: { admin: true, title: '节假日' } },
      { path: 'admin/audit', name: 'audit', component: () => import('@/views/admin/AuditView.vue'), meta: { admin: true, title: '操作日志' } },
      { path: 'admin/integrators', name: 'integrators', component: () => import('@/views/admin/IntegratorsView.vue'), meta: { cityAdmin: true, title: '接口对接' } },
      { path: 'admin/integrators/:id', name: 'integrator', component: () => import('@/views/admin/IntegratorView.vue'), meta: { cityAdmin: true, title: '对接单位与密钥' } },
      { path: 'admin/outbox', name: 'outbox', component: () => import('@/views/admin/OutboxView.vue'), meta: { cityAdmin: true, title: '通知队列' } },
      { path: 'work/inbox', name: 'inbox', component: () => import('@/views/work/InboxView.vue'), meta: { title: '诉求待办' } },
      { path: 'work/items/:id', name: 'item', component: () => import('@/views/work/ItemView.vue'), meta: { title: '诉求详情' } },
      { path: 'work/invitations', name: 'invitations', component: () => import('@/views/work/InvitationsView.vue'), meta: { title: '约请' } },
      { path: 'work/desk', name: 'desk', component: () => import('@/views/work/DeskView.vue'), meta: { title: '驻点接待' } },
      { path: 'stats', name: 'stats', component: () => import('@/views/StatsView.vue'), meta: { title: '统计分析' } },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory('/console/'), routes })

router.beforeEach((to) => {
  if (to.meta.public) return true
  const acc = session.account()
  if (!session.signedIn() || !acc) return { name: 'login', query: to.name === 'home' ? {} : { redirect: to.fullPath } }
  if (to.name === 'home') return homeOf(acc)
  if (acc.must_change_password && to.name !== 'password') return { name: 'password', query: { redirect: to.fullPath } }
  if (to.meta.admin && !isAdmin(acc)) return homeOf(acc)
  if (to.meta.cityAdmin && !isCityAdmin(acc)) return homeOf(acc)
  return true
})

router.afterEach((to) => {
  document.title = `${to.meta.title ?? '工作台'} · 直联`
})

// The sign-in ended (expired, revoked, password reset by an admin): back to
// the sign-in page, then to where the user was.
hooks.unauthorized = () => {
  session.clear()
  const cur = router.currentRoute.value
  if (cur.name !== 'login') void router.push({ name: 'login', query: { redirect: cur.fullPath, expired: '1' } })
}
hooks.passwordChangeRequired = () => {
  const cur = router.currentRoute.value
  const acc = session.account()
  if (acc) session.setAccount({ ...acc, must_change_password: true })
  if (cur.name !== 'password') void router.push({ name: 'password', query: { redirect: cur.fullPath } })
}
