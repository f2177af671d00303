import { describe, expect, it } from 'vitest';
import { nextTask } from '../../src/shared';
import { DeferredPosts } from '../../src/worker/deferred-posts';

/** A channel that records what is posted on it, or throws once closed, like a BroadcastChannel. */
function fakeChannel(): { channel: BroadcastChannel; posted: unknown[]; close(): void } {
  const posted: unknown[] = [];
  let closed = false;
  const channel = {
    postMessage(message: unknown) {
      if (closed) throw new DOMException('Channel is closed', 'InvalidStateError');
      posted.push(message);
    },
  } as unknown as BroadcastChannel;
  return { channel, posted, close: () => (closed = true) };
}

describe('deferred posts', () => {
  it('posts nothing during the call, then everything in order in the next task', async () => {
    const feed = fakeChannel();
    const nudges = fakeChannel();
    const posts = new DeferredPosts();
    posts.post(feed.channel, 'feed 1');
    posts.post(nudges.channel, 'nudge 1');
    posts.post(feed.channel, 'feed 2');
    await Promise.resolve();
    expect(feed.posted).toEqual([]);
    await nextTask();
    expect(feed.posted).toEqual(['feed 1', 'feed 2']);
    expect(nudges.posted).toEqual(['nudge 1']);
    posts.post(feed.channel, 'feed 3');
    await nextTask();
    expect(feed.posted).toEqual(['feed 1', 'feed 2', 'feed 3']);
  });

  it('flush posts what is pending at once, and the scheduled task then posts nothing twice', async () => {
    const feed = fakeChannel();
    const posts = new DeferredPosts();
    posts.post(feed.channel, 'last words');
    posts.flush();
    expect(feed.posted).toEqual(['last words']);
    await nextTask();
    expect(feed.posted).toEqual(['last words']);
  });

  it('skips a channel that closed meanwhile and still posts on the others', async () => {
    const closing = fakeChannel();
    const open = fakeChannel();
    const posts = new DeferredPosts();
    posts.post(closing.channel, 'lost');
    posts.post(open.channel, 'kept');
    closing.close();
    await nextTask();
    expect(open.posted).toEqual(['kept']);
  });
});
