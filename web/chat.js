/* global window, document */
// Connects the official Web Chat client to this server's Direct Line endpoint. The server chooses
// the user id and keeps it in an HttpOnly cookie (so surveys and recommendations follow the
// shopper, and no script can read or forge it); the conversation and its token live in
// localStorage, so a reload resumes the same conversation with its history. A shop that signs its
// users in opens the page as /#userToken=<token its server signed>: a URL fragment never reaches a
// server or its logs.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('chat-config').textContent);
  var domain = window.location.origin + '/v3/directline';
  var CONV_KEY = 'mkt-chat-conversation';
  var userToken = new window.URLSearchParams(window.location.hash.slice(1)).get('userToken');

  // The chat user id a shop token stands for (its signature is checked by the server, not here).
  function shopUserId(token) {
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return 'dl_shop_' + JSON.parse(window.atob(part)).sub;
    } catch {
      return null;
    }
  }

  function post(path, token, body) {
    var headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    return window.fetch(domain + path, {
      method: 'POST',
      headers: headers,
      body: JSON.stringify(body || {}),
      // The identity cookie goes with the request (same origin only).
      credentials: 'same-origin',
    });
  }

  // Resume the saved conversation when its token can still be refreshed; otherwise start anew.
  async function session() {
    var saved = null;
    try {
      saved = JSON.parse(window.localStorage.getItem(CONV_KEY) || 'null');
    } catch {
      saved = null;
    }
    // A signed-in shopper resumes only their own conversation, and after signing out nobody
    // resumes theirs.
    var savedUser = (saved && saved.userId) || '';
    var sameUser = userToken ? savedUser === shopUserId(userToken) : savedUser.indexOf('dl_shop_') !== 0;
    if (saved && saved.token && saved.conversationId && sameUser) {
      var refreshed = await post('/tokens/refresh', saved.token);
      if (refreshed.ok) {
        var r = await refreshed.json();
        return { token: r.token, conversationId: saved.conversationId, userId: r.userId, resume: true };
      }
    }
    var generated = await post('/tokens/generate', null, userToken ? { userToken: userToken } : {});
    if (!generated.ok) throw new Error('could not get a chat token (' + generated.status + ')');
    var g = await generated.json();
    return { token: g.token, conversationId: g.conversationId, userId: g.userId, resume: false };
  }

  function initials(name) {
    return name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map(function (w) {
        return w[0].toUpperCase();
      })
      .join('');
  }

  // A message the server refused (503 while its database is down, 429 when sent too fast) shows
  // a notice until a message goes through; Web Chat offers "Retry" on the message itself.
  function noticeOnRefusedMessage() {
    var box = document.getElementById('chat-error');
    return function (next) {
      return function (action) {
        if (action.type === 'DIRECT_LINE/POST_ACTIVITY_REJECTED') {
          box.textContent = "We'll be right back. Your message was not sent; please retry in a moment.";
          box.hidden = false;
        } else if (action.type === 'DIRECT_LINE/POST_ACTIVITY_FULFILLED') {
          box.hidden = true;
        }
        return next(action);
      };
    };
  }

  async function start() {
    var s = await session();
    window.localStorage.setItem(
      CONV_KEY,
      JSON.stringify({ token: s.token, conversationId: s.conversationId, userId: s.userId }),
    );
    var options = { domain: domain, token: s.token, webSocket: true };
    if (s.resume) options.conversationId = s.conversationId;
    var directLine = window.WebChat.createDirectLine(options);
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        store: window.WebChat.createStore({}, noticeOnRefusedMessage),
        // The id the server issued, so the shopper's own messages show on their side.
        userID: s.userId,
        username: 'You',
        locale: 'en-US',
        styleOptions: {
          accent: config.accentColor,
          botAvatarInitials: initials(config.brandName),
          botAvatarBackgroundColor: config.accentColor,
          userAvatarInitials: 'You',
          bubbleBorderRadius: 10,
          bubbleFromUserBackground: '#e7f3ef',
          suggestedActionLayout: 'flow',
          hideUploadButton: true,
          typingAnimationDuration: 5000,
          richCardWrapTitle: true,
        },
      },
      document.getElementById('webchat'),
    );
    document.querySelector('#webchat').focus();
  }

  document.getElementById('new-chat').addEventListener('click', function () {
    window.localStorage.removeItem(CONV_KEY);
    window.location.reload();
  });

  start().catch(function (err) {
    var box = document.getElementById('chat-error');
    box.textContent = 'The chat could not start: ' + err.message;
    box.hidden = false;
  });
})();
