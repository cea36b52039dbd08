import { expect, test } from '@jest/globals';
import { isLocalUrl } from './report-in-browser.ts';

test('files, inline data and the loopback stay on the machine', () => {
  for (const url of [
    'file:///work/main/reports/out/single/index.html',
    'data:font/woff2;base64,d09G',
    'blob:null/1234',
    'about:blank',
    'http://127.0.0.1:8080/data/suites.json',
    'http://localhost/',
    'ws://127.0.0.1:38427/devtools/browser/x',
  ]) {
    expect([url, isLocalUrl(url)]).toEqual([url, true]);
  }
});

test('anything else leaves it', () => {
  for (const url of [
    'https://www.googletagmanager.com/gtag/js?id=G-1',
    'http://127.0.0.1.example.com/',
    'http://10.96.0.10/',
    'https://localhost.example/',
  ]) {
    expect([url, isLocalUrl(url)]).toEqual([url, false]);
  }
});
