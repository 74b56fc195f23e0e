/* global window, document */
// Connects the official Web Chat client to this server's Direct Line endpoint. The user id lives in
// localStorage (so surveys and recommendations follow the shopper), the conversation and its token
// too, so a reload resumes the same conversation with its history.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('chat-config').textContent);
  var domain = window.location.origin + '/v3/directline';
  var USER_KEY = 'mkt-chat-user';
  var CONV_KEY = 'mkt-chat-conversation';

  function userId() {
    var id = window.localStorage.getItem(USER_KEY);
    if (!id) {
      id =
        'dl_' +
        (window.crypto.randomUUID
          ? window.crypto.randomUUID()
          : String(Math.random()).slice(2) + Date.now()
        ).replace(/-/g, '');
      window.localStorage.setItem(USER_KEY, id);
    }
    return id;
  }

  function post(path, token, body) {
    var headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    return window.fetch(domain + path, {
      method: 'POST',
      headers: headers,
      body: JSON.stringify(body || {}),
    });
  }

  // Resume the saved conversation when its token can still be refreshed; otherwise start anew.
  async function session(user) {
    var saved = null;
    try {
      saved = JSON.parse(window.localStorage.getItem(CONV_KEY) || 'null');
    } catch {
      saved = null;
    }
    if (saved && saved.token && saved.conversationId) {
      var refreshed = await post('/tokens/refresh', saved.token);
      if (refreshed.ok) {
        var r = await refreshed.json();
        return { token: r.token, conversationId: saved.conversationId, resume: true };
      }
    }
    var generated = await post('/tokens/generate', null, { user: { id: user } });
    if (!generated.ok) throw new Error('could not get a chat token (' + generated.status + ')');
    var g = await generated.json();
    return { token: g.token, conversationId: g.conversationId, resume: false };
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

  async function start() {
    var user = userId();
    var s = await session(user);
    window.localStorage.setItem(
      CONV_KEY,
      JSON.stringify({ token: s.token, conversationId: s.conversationId }),
    );
    var options = { domain: domain, token: s.token, webSocket: true };
    if (s.resume) options.conversationId = s.conversationId;
    var directLine = window.WebChat.createDirectLine(options);
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        userID: user,
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
