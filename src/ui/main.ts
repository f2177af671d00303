import { mount } from 'svelte';
import App from './App.svelte';
import { startErrand } from './errand';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element');
// The worker starts loading now; the first render waits for the next task, so evaluating the
// modules and drawing the app are two tasks a busy device can fit between frames, not one.
const client = startErrand();
setTimeout(() => mount(App, { target, props: { client } }), 0);
