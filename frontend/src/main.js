import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router.js'
import { locale, setLocale } from './i18n.js'
import './styles.css'

setLocale(locale.value)
createApp(App).use(router).mount('#app')
