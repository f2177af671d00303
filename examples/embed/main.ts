import { mount } from 'svelte';
import { connectErrand } from '../../src/client';
import '../../src/ui/styles/kit.css';
import App from './App.svelte';

const errand = connectErrand({
  worker: new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'errand:embed-example' }),
  dbName: 'errand-embed-example',
});

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element');
mount(App, { target, props: { errand } });
