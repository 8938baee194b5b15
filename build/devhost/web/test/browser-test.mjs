// Browser test: the real plugin bundle in the devhost, driven in Debian's Chromium.
//   ZOOM_BUNDLE=/abs/dist/zoom-x.y.z.tar.gz node test/browser-test.mjs
// It builds and starts the devhost (go build ./build/devhost/cmd/devhost, then
// `devhost -bundle $ZOOM_BUNDLE -addr 127.0.0.1:0`, reading the URL from its stdout),
// logs in as alice, starts a meeting from the channel header in a private channel,
// connects Zoom on the simulator's page, sees the card and the join tab, ends the
// meeting from the simulator panel and sees the summary; changes /zoom settings on its
// card, starts Zoom from Mattermost's Call button in a direct message and answers the
// meeting ID question there (both cards change in place through post_edited); and
// schedules a meeting through the /zoom schedule form (the devhost renders dialogs) and
// sees its card with the start and a Cancel button; checks "Summarize with AI" without
// the Agents plugin (no button) and with a fake one (?agents=1: the transcript post is
// handed to its callsPostButtonClickedTranscription); "AI summary" in the simulator panel
// posts Zoom's AI Companion summary, which the webapp renders in the thread.
// No uncaught errors and no console errors, with or without the Agents plugin.
// Screenshots (light and dark) go to build/out/browser/. Last line: "N passed, M
// failed[, K skipped]".
// Environment:
//   DEVHOST_URL=http://...    use a devhost that is already running (no build, no start)
//   CHROMIUM=/usr/bin/chromium, BROWSER_TEST_TIMEOUT=600 (seconds, whole run),
//   HEADFUL=1 to watch it under a display,
//   DEVHOST_BIN=/path/to/devhost   use that devhost binary instead of building one.
// When the devhost takes plugin settings (`-settings '{"Key": value}'`), the run sets
// LargeChannelThreshold to 3 and checks the large-channel confirmation in town-square
// (4 members); a devhost without the flag runs without those two checks.
import {spawn, spawnSync} from 'node:child_process';
import {createWriteStream, existsSync, mkdirSync, readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

import {chromium} from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const web = resolve(here, '..');
const repo = resolve(web, '../../..');
const out = join(repo, 'build/out/browser');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TOTAL_MS = Number(process.env.BROWSER_TEST_TIMEOUT || 600) * 1000;
const STEP_MS = 20000;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// ---- checks ----------------------------------------------------------------------
const CHECKS = [
    'devhost starts and prints its URL',
    'the page loads and the plugin registers',
    'logged in as alice',
    'a private channel is open',
    'the channel header shows "Start Zoom Meeting"',
    'the app bar shows the plugin icon',
    'the plugin answers the click with a Zoom connect link',
    'the simulator page lets me pick alice and hands back to the plugin',
    'a meeting card with a Join button appears',
    'a new tab opens on the join URL /j/<id>',
    'the simulator panel lists the meeting',
    '"End meeting" reaches the plugin (2xx)',
    'the card turns into the summary',
    'the dark theme applies',
    '"Finish recording" posts into the card\'s thread',
    '"Finish transcript" posts a file into the thread',
    '"AI summary" posts the AI Companion summary into the thread, rendered',
    '/zoom settings from the command box; "Yes" and "Ask" change its card in place',
    '/zoom schedule opens a form; submitting it posts a scheduled card with its start and Cancel',
    'in a direct message, the Call button offers Zoom',
    'the Call button asks the meeting ID question; answering changes it in place and posts the card',
    'with ?locale=de the card and the header button are in German',
    'without the Agents plugin: no "Summarize with AI" and no console errors',
    'with a fake Agents plugin: "Summarize with AI" hands it the transcript post',
    'with a fake Agents plugin: no console errors',
    'no uncaught errors in the page',
];
// Only when the devhost takes settings (see the header).
const LARGE_CHANNEL_CHECKS = [
    'a start in a large channel shows the confirmation card',
    '"Start meeting" on the confirmation starts the meeting',
];
const LARGE_CHANNEL_THRESHOLD = 3; // town-square has 4 members, design 3
const results = new Map();
let running = ''; // the check in progress, failed by the overall timeout
let otherFailures = 0; // failures outside any check (setup, the overall timeout between checks)
class Stop extends Error {}

async function check(name, fn, describe = (d) => (typeof d === 'string' ? d : '')) {
    if (!CHECKS.includes(name)) {
        throw new Error(`unknown check ${name}`);
    }
    const t0 = Date.now();
    running = name;
    try {
        const detail = await fn();
        results.set(name, true);
        running = '';
        const text = detail ? describe(detail) : '';
        console.log(`ok   ${name}${text ? `: ${text}` : ''} (${Date.now() - t0} ms)`);
        return detail;
    } catch (e) {
        results.set(name, false);
        running = '';
        console.log(`FAIL ${name}: ${(e && e.message || String(e)).split('\n')[0]}`);
        throw new Stop(name);
    }
}

// soft: failures count but do not stop the run.
async function softCheck(name, fn) {
    try {
        return await check(name, fn);
    } catch (e) {
        if (!(e instanceof Stop)) {
            throw e;
        }
        return undefined;
    }
}

function summary() {
    let passed = 0;
    let failed = otherFailures;
    let skipped = 0;
    for (const name of CHECKS) {
        if (results.get(name) === true) {
            passed++;
        } else if (results.get(name) === false) {
            failed++;
        } else {
            skipped++;
            console.log(`skip ${name}`);
        }
    }
    console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
    return failed === 0 && skipped === 0;
}

// ---- devhost process ---------------------------------------------------------------
let child = null;
let browser = null;
let logTail = [];

// SIGTERM goes to the devhost alone, so it can deactivate its plugin as the server does;
// SIGKILL goes to its whole process group (the devhost and the plugin process it started).
function killDevhost(signal = 'SIGTERM') {
    if (!child) {
        return;
    }
    try {
        if (signal === 'SIGKILL') {
            process.kill(-child.pid, signal);
        } else if (child.exitCode === null && child.signalCode === null) {
            child.kill(signal);
        }
    } catch {
        // already gone
    }
}

async function cleanup() {
    try {
        await browser?.close();
    } catch {
        // ignore
    }
    if (child) {
        killDevhost('SIGTERM');
        const t = Date.now();
        while (child.exitCode === null && child.signalCode === null && Date.now() - t < 10000) {
            await new Promise((r) => setTimeout(r, 100));
        }
        killDevhost('SIGKILL'); // whatever is left of its group
    }
}
process.on('exit', () => killDevhost('SIGKILL'));
for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
        console.log(`browser test: ${sig}, stopping`);
        killDevhost('SIGKILL');
        process.exit(130);
    });
}

function startProcess(cmd, args, cwd) {
    const log = createWriteStream(join(out, 'devhost.log'));
    console.log(`starting: ${cmd} ${args.join(' ')}`);
    child = spawn(cmd, args, {cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env});
    return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "listening on http://…" line within 90 s (see ${join(out, 'devhost.log')})`)), 90000);
        let buf = '';
        const onData = (d) => {
            log.write(d);
            buf += d.toString();
            const lines = buf.split('\n');
            buf = lines.pop();
            for (const line of lines) {
                logTail = [...logTail, line].slice(-30);
                const m = /listening on (https?:\/\/[^\s"']+)/i.exec(line);
                if (m) {
                    clearTimeout(timer);
                    resolvePromise(m[1].replace(/\/$/, ''));
                }
            }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code, signal) => {
            clearTimeout(timer);
            reject(new Error(`the devhost exited early (code ${code}, signal ${signal}); last lines:\n${logTail.join('\n')}`));
        });
    });
}

async function startDevhost() {
    if (process.env.DEVHOST_URL) {
        return process.env.DEVHOST_URL.replace(/\/$/, '');
    }
    const bundle = process.env.ZOOM_BUNDLE;
    if (!bundle || !bundle.startsWith('/') || !existsSync(bundle)) {
        throw new Error(`ZOOM_BUNDLE must be the absolute path of the plugin bundle (got "${bundle || ''}"); run "make dist" at the top level`);
    }
    let bin = process.env.DEVHOST_BIN;
    if (!bin) {
        bin = join(out, 'devhost');
        console.log('building the devhost: go build ./build/devhost/cmd/devhost');
        const b = spawnSync(process.env.GO || 'go', ['build', '-o', bin, './build/devhost/cmd/devhost'], {cwd: repo, stdio: 'inherit', timeout: 300000});
        if (b.status !== 0) {
            throw new Error(`go build ./build/devhost/cmd/devhost failed (status ${b.status}${b.error ? `, ${b.error.message}` : ''})`);
        }
    }
    const args = ['-bundle', bundle, '-addr', '127.0.0.1:0'];
    if (takesSettings(bin)) {
        args.push('-settings', JSON.stringify({LargeChannelThreshold: LARGE_CHANNEL_THRESHOLD}));
        CHECKS.splice(CHECKS.indexOf('/zoom settings from the command box; "Yes" and "Ask" change its card in place'), 0, ...LARGE_CHANNEL_CHECKS);
    } else {
        console.log('note: this devhost has no -settings flag; the large-channel confirmation checks are left out');
    }
    return startProcess(bin, args, repo);
}

// takesSettings reports whether the devhost binary lists a -settings flag in its usage.
function takesSettings(bin) {
    const r = spawnSync(bin, ['-h'], {encoding: 'utf8', timeout: 30000});
    return /^\s*-settings\b/m.test(`${r.stdout || ''}${r.stderr || ''}`);
}

// ---- helpers -----------------------------------------------------------------------------
async function until(what, fn, ms = STEP_MS) {
    const t = Date.now();
    let last;
    while (Date.now() - t < ms) {
        try {
            const v = await fn();
            if (v) {
                return v;
            }
        } catch (e) {
            last = e;
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out after ${ms / 1000} s waiting for ${what}${last ? ` (${last.message.split('\n')[0]})` : ''}`);
}

// The card post (type custom_zoom, not ephemeral) in the channel, from the page's store.
const cardInStore = (page, channelId) => page.evaluate((cid) => {
    const posts = Object.values(window.devhost.store.getState().entities.posts.posts);
    return posts.filter((p) => p.channel_id === cid && p.type === 'custom_zoom' && p.props?.meeting_status !== 'RECENTLY_CREATED')
        .sort((a, b) => b.create_at - a.create_at)[0] || null;
}, channelId);

async function pickZoomUser(popup, username) {
    await popup.waitForLoadState('domcontentloaded');
    const name = new RegExp(`\\b${username}\\b`, 'i');
    const candidates = [
        popup.locator(`a[data-email^="${username}@"]`), // the zoomsim picker
        popup.getByRole('button', {name}),
        popup.getByRole('link', {name}),
        popup.getByRole('radio', {name}),
        popup.getByRole('option', {name}),
    ];
    for (const c of candidates) {
        if (await c.count() > 0) {
            const first = c.first();
            const isChoice = c === candidates[3] || c === candidates[4];
            await first.click();
            if (isChoice) {
                await popup.getByRole('button', {name: /authori[sz]e|allow|continue|submit|ok/i}).first().click();
            }
            return;
        }
    }
    throw new Error(`no control naming "${username}" on ${popup.url()}: ${(await popup.textContent('body')).slice(0, 200)}`);
}

// ---- the run -------------------------------------------------------------------------------------
async function run() {
    mkdirSync(out, {recursive: true});
    const base = await check('devhost starts and prints its URL', () => startDevhost());

    if (!existsSync(CHROMIUM)) {
        throw new Error(`no Chromium at ${CHROMIUM}: run "make chromium" at the top level (apt-get install chromium)`);
    }
    browser = await chromium.launch({executablePath: CHROMIUM, headless: !process.env.HEADFUL, args: CHROMIUM_ARGS});
    // Certificate errors are not ignored: the devhost serves the simulator's sign-in
    // and join pages over its own http, so an ordinary browser never meets the
    // simulator's private CA.
    const context = await browser.newContext({ignoreHTTPSErrors: false, viewport: {width: 1440, height: 900}});
    context.setDefaultTimeout(STEP_MS);
    const page = await context.newPage();
    const pageErrors = [];
    const consoleErrors = [];
    page.on('pageerror', (e) => {
        pageErrors.push(e.message);
        console.log(`  page error: ${e.message}`);
    });
    page.on('console', (m) => {
        if (m.type() === 'error') {
            consoleErrors.push(m.text());
        }
        if (m.type() === 'error' || m.type() === 'warning') {
            console.log(`  console.${m.type()}: ${m.text().slice(0, 300)}`);
        }
    });
    const shot = async (name, target = page) => {
        const file = join(out, name);
        await target.screenshot({path: file});
        console.log(`  screenshot ${file}`);
    };

    await check('the page loads and the plugin registers', async () => {
        await page.goto(`${base}/`);
        const alice = page.locator('[data-username="alice"]');
        await until('the page to boot', async () => await alice.count() > 0 || page.evaluate(() => Boolean(window.devhost)));
        if (await alice.count() > 0) {
            await alice.click(); // the login screen
            await page.waitForLoadState('load');
        }
        await until('the page to boot', () => page.evaluate(() => Boolean(window.devhost)));
        const current = await page.locator('[data-testid="user-switcher"] option:checked').textContent();
        if (current !== 'alice') {
            await page.locator('[data-testid="user-switcher"]').selectOption({label: 'alice'});
            await page.waitForLoadState('load');
            await until('the page to boot again', () => page.evaluate(() => Boolean(window.devhost)));
        }
        const status = await until('the plugin to initialize', () => page.evaluate(() =>
            (window.devhost?.pluginReady && 'ready') || (window.devhost?.pluginError && `error: ${window.devhost.pluginError}`) ||
            document.querySelector('[data-testid="plugin-error"]')?.textContent));
        if (status !== 'ready') {
            throw new Error(status);
        }
        return await page.locator('[data-testid="plugin-status"]').textContent();
    });

    await check('logged in as alice', async () => {
        const current = await page.locator('[data-testid="user-switcher"] option:checked').textContent();
        if (current !== 'alice') {
            throw new Error(`the user switcher shows ${current}`);
        }
    });

    const channel = await check('a private channel is open', async () => {
        // Meetings in public channels may be restricted: use `design`, else another private channel or a DM.
        const names = await page.locator('[data-channel-name]').evaluateAll((els) => els.map((e) => e.dataset.channelName));
        const pick = names.includes('design') ? 'design' : names.find((n) => n.includes('__'));
        if (!pick) {
            throw new Error(`no private channel or DM in the sidebar: ${names.join(', ')}`);
        }
        await page.locator(`[data-channel-name="${pick}"]`).click();
        const c = await page.evaluate(() => {
            const s = window.devhost.store.getState();
            return s.entities.channels.channels[s.entities.channels.currentChannelId];
        });
        if (!c || c.name !== pick) {
            throw new Error(`the store's current channel is ${c?.name}`);
        }
        return c;
    }, (c) => c.name);
    channel.label = await page.locator('[data-testid="channel-name"]').textContent();

    const headerButton = page.locator('[data-testid="channel-header-buttons"] button[aria-label="Start Zoom Meeting"]');
    await check('the channel header shows "Start Zoom Meeting"', async () => {
        await headerButton.waitFor({state: 'visible'});
    });
    await softCheck('the app bar shows the plugin icon', async () => {
        const item = page.locator('[data-testid="app-bar"] button').first();
        await item.waitFor({state: 'visible', timeout: 5000});
        const img = item.locator('img');
        if (await img.count() > 0) {
            const ok = await until('the app bar icon to load', () => img.evaluate((el) => el.complete && el.naturalWidth > 0), 5000)
                .catch(() => false);
            if (!ok) {
                throw new Error(`the icon ${await img.getAttribute('src')} did not load`);
            }
        }
        return await item.getAttribute('aria-label');
    });

    await shot('01-channel-light.png');
    await headerButton.click();

    // What answers the click: a connect link (not connected yet), the PMI question, or the card.
    const list = page.locator('[data-testid="post-list"]');
    const connectLink = list.locator('a[href*="/oauth2/connect"]').last();
    const unique = list.getByRole('button', {name: /unique meeting id/i}).last();
    const joinInCard = list.locator('[data-post-type="custom_zoom"]').getByRole('link', {name: /join/i})
        .or(list.locator('[data-post-type="custom_zoom"]').getByRole('button', {name: /join/i}));
    const popupPages = [];
    context.on('page', (p) => popupPages.push(p));

    const first = await check('the plugin answers the click with a Zoom connect link', async () => {
        return until('a connect link, a meeting ID question or a meeting card', async () => {
            if (await connectLink.count() > 0) {
                return 'connect link';
            }
            if (await unique.count() > 0) {
                return 'already connected: meeting ID question';
            }
            if (await joinInCard.count() > 0) {
                return 'already connected: card';
            }
            const err = await list.locator('.post--ephemeral').last().textContent().catch(() => '');
            if (/error|fail|cannot|can't|not allowed|disabled/i.test(err || '')) {
                throw new Error(`the plugin said: ${err}`);
            }
            return false;
        });
    });
    await shot('02-connect-light.png');

    await check('the simulator page lets me pick alice and hands back to the plugin', async () => {
        if (first !== 'connect link') {
            return 'skipped the connect: alice was connected already';
        }
        const [popup] = await Promise.all([context.waitForEvent('page'), connectLink.click()]);
        const done = () => popup.isClosed() || /\/oauth2\/complete/.test(popup.url());
        // The simulator shows its user picker, unless it was told who is signed in to Zoom.
        const seen = await until('the Zoom authorize page', async () => (done() && 'done') ||
            (/\/oauth\/authorize/.test(popup.url()) && await popup.locator('a, button').count() > 0 && 'picker'));
        if (seen === 'picker') {
            await shot('03-zoom-authorize.png', popup);
            await pickZoomUser(popup, 'alice');
        }
        await until('the plugin to complete the connect (the tab closes or shows /oauth2/complete)', async () =>
            popup.isClosed() || /\/oauth2\/complete/.test(popup.url()));
        return popup.isClosed() ? 'the connect tab closed itself' : popup.url();
    });

    await check('a meeting card with a Join button appears', async () => {
        // After the connect the plugin continues the request; a first-time user may be asked about the meeting ID.
        let answered = '';
        await until('the meeting card with a Join button', async () => {
            if (!answered && await unique.count() > 0 && await unique.isEnabled()) {
                await unique.click();
                answered = ' (answered the meeting ID question: unique ID)';
            }
            return await joinInCard.count() > 0;
        }, 30000);
        return `in ${channel.label}${answered}`;
    });
    const card = await cardInStore(page, channel.id);
    const meetingId = card?.props?.meeting_id;
    const cardEl = page.locator(`[data-post-id="${card?.id}"]`);
    await shot('04-meeting-card-light.png');

    await check('a new tab opens on the join URL /j/<id>', async () => {
        const tab = await until('a tab on /j/<id>', () => context.pages().find((p) => /\/j\/\d+/.test(p.url())), 15000);
        const m = /\/j\/(\d+)/.exec(tab.url());
        if (meetingId !== undefined && String(meetingId) !== m[1]) {
            throw new Error(`the tab is on meeting ${m[1]}, the card on ${meetingId}`);
        }
        await tab.waitForLoadState('domcontentloaded').catch(() => {});
        await shot('05-join-tab.png', tab);
        return tab.url();
    });
    await page.bringToFront();

    const simMeeting = page.locator(`[data-testid="sim-meeting"][data-meeting-id="${meetingId}"]`);
    await check('the simulator panel lists the meeting', async () => {
        if (meetingId === undefined) {
            throw new Error('the card in the store has no meeting_id');
        }
        await simMeeting.waitFor({state: 'visible'});
        return `meeting ${meetingId}`;
    });

    const simStatus = page.locator('[data-testid="sim-status"]');
    const simAction = async (label) => {
        await simMeeting.getByRole('button', {name: label}).click();
        const text = await until(`the simulator's answer to "${label}"`, async () => {
            const t = await simStatus.textContent().catch(() => '');
            return t && !/sending…$/.test(t) ? t : false;
        });
        const codes = [...text.matchAll(/answered (\d{3})\b/g)].map((m) => Number(m[1]));
        if (!codes.length || codes.some((c) => c < 200 || c > 299)) {
            throw new Error(text);
        }
        return text;
    };

    await check('"End meeting" reaches the plugin (2xx)', () => simAction('End meeting'));
    await check('the card turns into the summary', async () => {
        await until('meeting_status ENDED on the card', async () => (await cardInStore(page, channel.id))?.props?.meeting_status === 'ENDED');
        await until('the card without its Join button', async () => await cardEl.getByRole('link', {name: /^join/i}).count() === 0 &&
            await cardEl.getByRole('button', {name: /^join/i}).count() === 0, 5000);
        const text = (await cardEl.textContent()).replace(/\s+/g, ' ');
        if (!/ended|minute|min\b/i.test(text)) {
            throw new Error(`the card reads: ${text.slice(0, 200)}`);
        }
        return text.slice(0, 120);
    });
    await shot('06-summary-light.png');
    await cardEl.screenshot({path: join(out, '06-summary-card-light.png')});

    await softCheck('the dark theme applies', async () => {
        await page.locator('[data-testid="theme-toggle"]').click();
        const bg = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--center-channel-bg').trim());
        if (bg !== '#191b1f') {
            throw new Error(`--center-channel-bg is ${bg}`);
        }
        await shot('07-summary-dark.png');
        await cardEl.screenshot({path: join(out, '07-summary-card-dark.png')});
        await page.locator('[data-testid="theme-toggle"]').click(); // back to light for the rest
    });

    const repliesTo = (rootId) => page.evaluate((id) => Object.values(window.devhost.store.getState().entities.posts.posts)
        .filter((p) => p.root_id === id), rootId);
    await softCheck('"Finish recording" posts into the card\'s thread', async () => {
        const before = (await repliesTo(card.id)).length;
        await simAction('Finish recording');
        await until('a reply under the card', async () => (await repliesTo(card.id)).length > before);
        const replies = await repliesTo(card.id);
        return replies.map((r) => r.type || 'post').join(', ');
    });
    await softCheck('"Finish transcript" posts a file into the thread', async () => {
        await simAction('Finish transcript');
        const reply = await until('a transcript reply with a file', async () =>
            (await repliesTo(card.id)).find((r) => r.type === 'custom_zoom_transcript' && r.file_ids?.length));
        await page.locator(`[data-post-id="${reply.id}"] [data-testid="file-link"]`).first().waitFor({state: 'visible', timeout: 5000});
        await shot('08-thread-light.png');
        await page.locator('[data-testid="theme-toggle"]').click();
        await shot('09-thread-dark.png');
        await page.locator('[data-testid="theme-toggle"]').click();
        return `${reply.file_ids.length} file(s)`;
    });

    await softCheck('"AI summary" posts the AI Companion summary into the thread, rendered', async () => {
        await simAction('AI summary');
        const reply = await until('a summary reply', async () =>
            (await repliesTo(card.id)).find((r) => r.type === 'custom_zoom_summary'));
        const el = page.locator(`[data-post-id="${reply.id}"]`).getByRole('group', {name: 'Meeting summary by Zoom AI Companion'});
        await el.waitFor({state: 'visible', timeout: 5000});
        const headings = await el.getByRole('heading').allTextContents();
        const steps = await el.getByRole('checkbox').count();
        if (!headings.includes('Next steps') || headings.length < 2 || steps < 1 || await el.getByRole('button').count() !== 0) {
            throw new Error(`the summary shows headings ${JSON.stringify(headings)}, ${steps} step(s)`);
        }
        await el.screenshot({path: join(out, '09b-summary-reply-light.png')});
        return `${headings.length} heading(s), ${steps} step(s)`;
    });

    if (CHECKS.includes(LARGE_CHANNEL_CHECKS[0])) {
        await largeChannel(page, context, list, shot);
    }

    // An ephemeral card's buttons change that same card (post_edited), never add a new one.
    const postText = (id) => list.locator(`[data-post-id="${id}"]`).textContent().catch(() => '');
    const clickAndSeeChange = async (cardId, name, want) => {
        await list.locator(`[data-post-id="${cardId}"]`).getByRole('button', {name, exact: true}).click();
        await until(`the card to read "${want}"`, async () => (await postText(cardId)).includes(want));
    };

    await softCheck('/zoom settings from the command box; "Yes" and "Ask" change its card in place', async () => {
        const box = page.locator('[data-testid="command-box"]');
        await box.fill('/zoom settings');
        await box.press('Enter');
        const card = list.locator('[data-testid="post"]', {has: page.getByRole('button', {name: 'Ask', exact: true})}).last();
        await card.waitFor({state: 'visible'});
        const id = await card.getAttribute('data-post-id');
        await clickAndSeeChange(id, 'Yes', 'Current choice: Yes, always use my Personal Meeting ID');
        // "Ask" also makes the Call button below ask the meeting ID question.
        await clickAndSeeChange(id, 'Ask', 'Current choice: Ask each time');
        if (await list.locator(`[data-post-id="${id}"]`).count() !== 1) {
            throw new Error('the settings card is gone or doubled');
        }
        await shot('10-settings-light.png');
    });

    await softCheck('/zoom schedule opens a form; submitting it posts a scheduled card with its start and Cancel', async () => {
        const box = page.locator('[data-testid="command-box"]');
        await box.fill('/zoom schedule');
        await box.press('Enter');
        const form = page.locator('[data-testid="interactive-dialog"]');
        await form.waitFor({state: 'visible'});
        await shot('10b-schedule-dialog.png');
        await form.getByLabel(/^Time/).fill('14:30');
        await form.getByLabel(/^Duration/).selectOption('45');
        await form.getByLabel(/^Topic/).fill('Browser planning');
        await form.getByRole('button', {name: 'Schedule', exact: true}).click();
        await form.waitFor({state: 'hidden'});
        const here = await page.evaluate(() => window.devhost.store.getState().entities.channels.currentChannelId);
        const card = await until('the scheduled card in the store', async () => {
            const c = await cardInStore(page, here);
            return c?.props?.meeting_status === 'SCHEDULED' && c.props.meeting_topic === 'Browser planning' && c;
        });
        // The start as this browser's zone writes it (alice has no Mattermost zone set).
        const at = await page.evaluate((ms) => new Intl.DateTimeFormat('en', {hour: 'numeric', minute: '2-digit'}).format(ms),
            card.props.meeting_start_time);
        const shown = list.locator(`[data-post-id="${card.id}"]`);
        await until(`the card to show its start (${at}) and length`, async () => {
            const text = (await shown.textContent().catch(() => '')).replace(/\s+/g, ' ');
            return text.includes(`at ${at.replace(/\s+/g, ' ')}`) && text.includes('Length: 45 minutes');
        });
        await shown.getByRole('button', {name: 'Cancel meeting'}).waitFor({state: 'visible'});
        await shot('10c-scheduled-card.png', shown);
        return `meeting ${card.props.meeting_id} at ${new Date(card.props.meeting_start_time).toISOString()}`;
    });

    const dm = await check('in a direct message, the Call button offers Zoom', async () => {
        const callButton = page.locator('[data-testid="call-button"]').getByRole('button', {name: 'Start Zoom Meeting'});
        if (await callButton.count() > 0) {
            throw new Error('the Call button offers Zoom in a channel that is not a direct message');
        }
        await page.locator('[data-channel-name*="__"]').first().click();
        const c = await until('a direct message to open', () => page.evaluate(() => {
            const s = window.devhost.store.getState();
            const open = s.entities.channels.channels[s.entities.channels.currentChannelId];
            return open?.type === 'D' && open;
        }));
        await callButton.waitFor({state: 'visible'});
        await shot('13-dm-call-button.png');
        return c;
    }, (c) => c.name);

    await softCheck('the Call button asks the meeting ID question; answering changes it in place and posts the card', async () => {
        await page.locator('[data-testid="call-button"]').getByRole('button', {name: 'Start Zoom Meeting'}).click();
        const question = list.locator('[data-testid="post"]', {has: page.getByRole('button', {name: /unique meeting id/i})}).last();
        await question.waitFor({state: 'visible'});
        const id = await question.getAttribute('data-post-id');
        await question.getByRole('button', {name: /unique meeting id/i}).click();
        await until('the question to turn into its answer', async () => /unique meeting ID\./.test(await postText(id)) &&
            await list.locator(`[data-post-id="${id}"]`).getByRole('button').count() === 0);
        const dmCard = await until('the meeting card in the direct message', () => cardInStore(page, dm.id));
        await page.locator(`[data-post-id="${dmCard.id}"]`).getByRole('link', {name: /join/i}).waitFor({state: 'visible'});
        await shot('14-dm-card.png');
        return `meeting ${dmCard.props?.meeting_id}`;
    });

    await softCheck('with ?locale=de the card and the header button are in German', async () => {
        // Mattermost renders the webapp in the user's language; the page takes ?locale= for it.
        await page.goto(`${base}/?locale=de&channel=${encodeURIComponent(channel.name)}`);
        await until('the plugin to initialize in German', () => page.evaluate(() => window.devhost?.pluginReady));
        const german = page.locator(`[data-post-id="${card.id}"]`);
        await until('the summary card in German', async () => /Meeting beendet/.test(await german.textContent().catch(() => '')));
        const text = (await german.textContent()).replace(/\s+/g, ' ');
        if (!/Dauer/.test(text) || /Meeting ended|Length/i.test(text)) {
            throw new Error(`the card reads: ${text.slice(0, 200)}`);
        }
        await page.locator('[data-testid="channel-header-buttons"] button[aria-label="Zoom-Meeting starten"]').waitFor({state: 'visible'});
        await shot('12-card-de.png');
        await german.screenshot({path: join(out, '12-card-de-card.png')});
        return text.slice(0, 120);
    });

    // "Summarize with AI" on the transcript reply from "Finish transcript".
    const transcriptPost = () => page.evaluate((rootId) => Object.values(window.devhost.store.getState().entities.posts.posts)
        .find((p) => p.root_id === rootId && p.type === 'custom_zoom_transcript') || null, card.id);
    const summarize = (id) => page.locator(`[data-post-id="${id}"]`).getByRole('button', {name: 'Summarize with AI'});
    const openDesign = async (query) => {
        await page.goto(`${base}/?channel=${encodeURIComponent(channel.name)}${query}`);
        await until('the plugin to initialize', () => page.evaluate(() => window.devhost?.pluginReady));
        const t = await until('the transcript post', transcriptPost);
        await page.locator(`[data-post-id="${t.id}"]`).waitFor({state: 'visible'});
        return t;
    };

    await softCheck('without the Agents plugin: no "Summarize with AI" and no console errors', async () => {
        const t = await openDesign('');
        if (await summarize(t.id).count() !== 0) {
            throw new Error('"Summarize with AI" shows without the Agents plugin');
        }
        if (consoleErrors.length) {
            throw new Error(consoleErrors.join(' | '));
        }
    });

    const errorsBefore = consoleErrors.length;
    await softCheck('with a fake Agents plugin: "Summarize with AI" hands it the transcript post', async () => {
        const t = await openDesign('&agents=1');
        await summarize(t.id).click();
        const handed = await until('the Agents plugin\'s handler to get a post', () => page.evaluate(() => window.devhost.agentsHandOffs?.[0]));
        if (handed.id !== t.id || handed.type !== 'custom_zoom_transcript') {
            throw new Error(`the handler got post ${handed.id} (${handed.type}), not the transcript ${t.id}`);
        }
        const requests = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/plugins/mattermost-ai/')).length);
        if (requests) {
            throw new Error(`${requests} request(s) to the Agents plugin's REST routes besides the hand-off`);
        }
        await shot('15-agents-hand-off.png');
        return `post ${handed.id}`;
    });
    await softCheck('with a fake Agents plugin: no console errors', async () => {
        if (consoleErrors.length > errorsBefore) {
            throw new Error(consoleErrors.slice(errorsBefore).join(' | '));
        }
    });

    await check('no uncaught errors in the page', async () => {
        if (pageErrors.length) {
            throw new Error(pageErrors.join(' | '));
        }
    });
}

// The large-channel confirmation in town-square (more members than the threshold): the
// header button shows the card instead of starting; "Start meeting" starts the meeting.
async function largeChannel(page, context, list, shot) {
    const confirm = list.locator('[data-testid="post"]', {has: page.getByRole('button', {name: 'Start meeting', exact: true})}).last();
    const channelId = await check('a start in a large channel shows the confirmation card', async () => {
        await page.locator('[data-channel-name="town-square"]').click();
        const id = await until('town-square to open', () => page.evaluate(() => {
            const s = window.devhost.store.getState();
            const c = s.entities.channels.channels[s.entities.channels.currentChannelId];
            return c?.name === 'town-square' && c.id;
        }));
        await page.locator('[data-testid="channel-header-buttons"] button[aria-label="Start Zoom Meeting"]').click();
        await confirm.waitFor({state: 'visible'});
        await confirm.getByRole('button', {name: 'Cancel', exact: true}).waitFor({state: 'visible'});
        if (await cardInStore(page, id)) {
            throw new Error('a meeting card was posted before confirming');
        }
        await shot('11-large-channel-confirm.png');
        return id;
    });
    await check('"Start meeting" on the confirmation starts the meeting', async () => {
        const tabs = context.pages().length;
        await confirm.getByRole('button', {name: 'Start meeting', exact: true}).click();
        const card = await until('the meeting card in town-square', () => cardInStore(page, channelId));
        await page.locator(`[data-post-id="${card.id}"]`).getByRole('link', {name: /join/i})
            .or(page.locator(`[data-post-id="${card.id}"]`).getByRole('button', {name: /join/i})).first().waitFor({state: 'visible'});
        await until('the meeting to open in a new tab', () => context.pages().length > tabs, 10000);
        await page.bringToFront();
        await shot('11-large-channel-started.png');
        return `meeting ${card.props?.meeting_id}`;
    });
}

const overall = setTimeout(async () => {
    console.log(`FAIL ${running || 'the run'}: overall timeout, the run took longer than ${TOTAL_MS / 1000} s`);
    if (running && !results.has(running)) {
        results.set(running, false);
    } else {
        otherFailures++;
    }
    summary();
    await cleanup();
    process.exit(1);
}, TOTAL_MS);

let ok = false;
try {
    await run();
    ok = true;
} catch (e) {
    if (!(e instanceof Stop)) {
        otherFailures++;
        console.log(`FAIL ${e.message}`);
    }
    if (child && logTail.length) {
        console.log(`--- devhost, last lines (full log: ${join(out, 'devhost.log')}) ---\n${logTail.join('\n')}\n---`);
    }
} finally {
    clearTimeout(overall);
    await cleanup();
}
const allPassed = summary();
process.exit(ok && allPassed ? 0 : 1);
