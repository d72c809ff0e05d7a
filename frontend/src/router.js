import { createRouter, createWebHistory } from 'vue-router'
import SearchPage from './pages/SearchPage.vue'
import RecordPage from './pages/RecordPage.vue'

export const routes = [
  { path: '/', redirect: '/patents' },
  { path: '/patents', name: 'patents', component: SearchPage, props: { kind: 'patent' } },
  { path: '/trademarks', name: 'trademarks', component: SearchPage, props: { kind: 'trademark' } },
  { path: '/copyrights', name: 'copyrights', component: SearchPage, props: { kind: 'copyright' } },
  { path: '/records/:id', name: 'record', component: RecordPage, props: true },
  { path: '/marks', name: 'marks', component: () => import('./pages/MarksPage.vue') },
  { path: '/stats', name: 'stats', component: () => import('./pages/StatsPage.vue') },
  { path: '/landscape', name: 'landscape', component: () => import('./pages/LandscapePage.vue') },
  { path: '/alerts', name: 'alerts', component: () => import('./pages/AlertsPage.vue') },
  { path: '/:rest(.*)*', redirect: '/patents' },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (to, from, saved) => saved || (to.path !== from.path ? { top: 0 } : undefined),
})
