// Lightning Message Service within the page: one bus, channels by name.
export const APPLICATION_SCOPE = Symbol('APPLICATION_SCOPE');

const subscribers = new Map();

function channelName(channel) {
  if (channel && typeof channel === 'object' && channel.channel) return channel.channel;
  if (typeof channel === 'string') return channel;
  throw new Error(`Not a message channel: ${JSON.stringify(channel)}`);
}

class WorkbenchMessageContext {
  constructor() {
    this.subscriptions = new Set();
    this.released = false;
  }
}

export function createMessageContext() {
  return new WorkbenchMessageContext();
}

export function releaseMessageContext(context) {
  if (!context) return;
  for (const subscription of [...context.subscriptions]) unsubscribe(subscription);
  context.released = true;
}

/** @wire(MessageContext) messageContext; */
export class MessageContext {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
    this.context = undefined;
  }

  connect() {
    this.context = createMessageContext();
    this.dataCallback(this.context);
  }

  update() {
    if (this.context) this.dataCallback(this.context);
  }

  disconnect() {
    releaseMessageContext(this.context);
    this.context = undefined;
  }
}

export function publish(messageContext, messageChannel, message) {
  if (!messageContext) throw new Error('publish needs a MessageContext');
  const listeners = subscribers.get(channelName(messageChannel));
  if (!listeners) return;
  // Structured clone: subscribers receive a copy, as across the platform's bus.
  const copy = message === undefined ? undefined : JSON.parse(JSON.stringify(message));
  for (const subscription of [...listeners]) {
    try {
      subscription.listener(copy);
    } catch (err) {
      console.error(err);
    }
  }
}

export function subscribe(messageContext, messageChannel, listener, subscriberOptions) {
  if (!messageContext) throw new Error('subscribe needs a MessageContext');
  const name = channelName(messageChannel);
  const subscription = { name, listener, context: messageContext, options: subscriberOptions };
  if (!subscribers.has(name)) subscribers.set(name, new Set());
  subscribers.get(name).add(subscription);
  if (messageContext.subscriptions) messageContext.subscriptions.add(subscription);
  return subscription;
}

export function unsubscribe(subscription) {
  if (!subscription) return;
  const listeners = subscribers.get(subscription.name);
  if (listeners) listeners.delete(subscription);
  if (subscription.context && subscription.context.subscriptions) {
    subscription.context.subscriptions.delete(subscription);
  }
}
