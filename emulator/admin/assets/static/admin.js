/* magekit Admin: the behaviour of Magento 2.4.7's integration screens
 * (docs/magento-admin.md): grid, tabs, resource tree, client validation,
 * slide-in dialogs, the activation popup and its polling. Plain JavaScript,
 * no library. */
(function () {
  'use strict';

  var body = document.body;
  var base = body.getAttribute('data-base') || '';
  var formKey = body.getAttribute('data-form-key') || '';
  var successCallback = body.getAttribute('data-success-callback') || '';
  var gridUrl = base + 'admin/integration/';

  var MSG_WRONG = 'Sorry, something went wrong. Please try again later.';
  var MSG_POPUP = 'Popup Blocker is enabled! Please add this site to your exception list.';

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function go(url) { spinner(true); window.location.href = url; }

  /* ---- spinner ---- */
  function spinner(on) {
    var s = $('#magekit-spinner');
    if (!s) {
      s = document.createElement('div');
      s.id = 'magekit-spinner';
      s.className = 'loading-mask';
      s.setAttribute('data-role', 'spinner');
      s.innerHTML = '<div class="spinner"><span></span></div>';
      body.appendChild(s);
    }
    s.style.display = on ? 'block' : 'none';
  }

  /* ---- AJAX: Magento's bootstrap adds isAjax=true and form_key ---- */
  function ajax(method, url, data, done, fail) {
    var params = new URLSearchParams(data || '');
    params.set('form_key', formKey);
    var opts = { method: method, credentials: 'same-origin', headers: { 'X-Requested-With': 'XMLHttpRequest' } };
    var sep = url.indexOf('?') < 0 ? '?' : '&';
    if (method === 'GET') {
      params.set('isAjax', 'true');
      params.set('_', String(Date.now()));
      url += sep + params.toString();
    } else {
      url += sep + 'isAjax=true';
      opts.headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
      opts.body = params.toString();
    }
    spinner(true);
    fetch(url, opts).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      var type = r.headers.get('Content-Type') || '';
      return r.text().then(function (t) { return { json: type.indexOf('json') >= 0, text: t }; });
    }).then(function (res) {
      spinner(false);
      var obj = null;
      if (res.json) { obj = JSON.parse(res.text); }
      if (obj && obj._redirect) { go(obj._redirect); return; }
      if (obj && obj.ajaxExpired) { go(obj.ajaxRedirect); return; }
      if (obj && obj.error) { alertBox(obj.message); return; }
      done(obj, res.text);
    }).catch(function () {
      spinner(false);
      if (fail) { fail(); } else { alertBox(MSG_WRONG); }
    });
  }

  /* ---- modals: Magento UI's slide and popup modals ---- */
  function modal(opts) {
    var overlay = document.createElement('div');
    overlay.className = 'modals-overlay';
    var aside = document.createElement('aside');
    aside.setAttribute('role', 'dialog');
    aside.className = (opts.type === 'popup' ? 'modal-popup' : 'modal-slide') + ' _show' + (opts.cls ? ' ' + opts.cls : '');
    aside.innerHTML = '<div class="modal-inner-wrap">' +
      '<header class="modal-header"><h1 class="modal-title" data-role="title"></h1>' +
      '<button class="action-close" data-role="closeBtn" type="button"><span>Close</span></button></header>' +
      '<div class="modal-content" data-role="content"></div>' +
      '<footer class="modal-footer"></footer></div>';
    $('.modal-title', aside).innerHTML = opts.title || '';
    $('.modal-content', aside).innerHTML = opts.content || '';
    var footer = $('.modal-footer', aside);
    var closed = false;
    var m = {
      el: aside,
      close: function () {
        if (closed) { return; }
        closed = true;
        aside.remove();
        overlay.remove();
        document.removeEventListener('keydown', onKey);
        if (opts.closed) { opts.closed(); }
      }
    };
    function onKey(e) { if (e.key === 'Escape') { m.close(); } }
    (opts.buttons || [{ text: 'Ok', cls: 'action-primary' }]).forEach(function (b) {
      var btn = document.createElement('button');
      btn.type = 'button';
      btn.className = b.cls || '';
      btn.innerHTML = '<span>' + escapeHTML(b.text) + '</span>';
      btn.addEventListener('click', function () { if (b.click) { b.click(m); } else { m.close(); } });
      footer.appendChild(btn);
    });
    $('.action-close', aside).addEventListener('click', function () { m.close(); });
    overlay.addEventListener('click', function () { m.close(); });
    document.addEventListener('keydown', onKey);
    body.appendChild(overlay);
    body.appendChild(aside);
    return m;
  }

  function alertBox(text) {
    modal({ type: 'popup', cls: 'confirm', title: 'Attention', content: '<div>' + escapeHTML(text) + '</div>',
      buttons: [{ text: 'OK', cls: 'action-primary action-accept' }] });
  }

  function confirmBox(title, text, ok) {
    modal({ type: 'popup', cls: 'confirm', title: escapeHTML(title), content: '<div>' + escapeHTML(text) + '</div>', buttons: [
      { text: 'Cancel', cls: 'action-secondary action-dismiss' },
      { text: 'OK', cls: 'action-primary action-accept', click: function (m) { m.close(); ok(); } }
    ] });
  }

  /* dataPost: a hidden form POST with the form key */
  function dataPost(url) {
    var f = document.createElement('form');
    f.method = 'post';
    f.action = url;
    f.innerHTML = '<input type="hidden" name="form_key">';
    f.firstChild.value = formKey;
    body.appendChild(f);
    spinner(true);
    f.submit();
  }

  /* ---- the activation dialogs (integration.js of Magento_Integration) ---- */
  function dialogUrl(action, id, reauthorize) {
    return base + 'admin/integration/' + action + '/id/' + encodeURIComponent(id) + '/reauthorize/' + reauthorize + '/';
  }

  function rowName(link) {
    var row = link.closest('tr');
    var html = row ? $('.col-name', row).innerHTML : '';
    var cut = html.indexOf('<span');
    return (cut >= 0 ? html.slice(0, cut) : html).trim();
  }

  function identityLogin(res, name) {
    if (!(res && res.identity_link_url && res.oauth_consumer_key && res.popup_content)) { return; }
    var query = 'oauth_consumer_key=' + encodeURIComponent(res.oauth_consumer_key).replace(/%20/g, '+') +
      '&success_call_back=' + encodeURIComponent(successCallback).replace(/%20/g, '+');
    var top = screen.height - 510 - 300, left = screen.width - 680 - 30;
    var win = window.open(res.identity_link_url + '?' + query, '',
      'top=' + top + ', left=' + left + ', width=680, height=510,scrollbars=no');
    try {
      win.focus();
    } catch (e) {
      alertBox(MSG_POPUP);
      return;
    }
    modal({ title: name, content: res.popup_content, cls: 'integration-dialog' });
    var timer = setInterval(function () {
      var done = false;
      if (win.closed) {
        done = true;
      } else {
        try { done = win.location.href === successCallback; } catch (e) { done = false; }
      }
      if (done) {
        clearInterval(timer);
        go(gridUrl);
      }
    }, 500);
  }

  function show(ctx) {
    var id = ctx.id, reauthorize = String(ctx.reauthorize), exchange = String(ctx.tokenExchange), name = ctx.name;
    if (ctx.dialog === 'permissions') {
      ajax('GET', dialogUrl('permissionsDialog', id, reauthorize), null, function (_, html) {
        modal({ title: name, content: html, cls: 'integration-dialog', buttons: [{
          text: reauthorize === '1' ? 'Reauthorize' : 'Allow', cls: 'action-primary',
          click: function (m) {
            m.close();
            show({ id: id, reauthorize: reauthorize, tokenExchange: exchange, name: name,
              dialog: exchange === '1' ? 'tokensExchange' : 'tokens' });
          }
        }] });
      });
    } else if (ctx.dialog === 'tokens') {
      ajax('GET', dialogUrl('tokensDialog', id, reauthorize), null, function (_, html) {
        modal({ title: name, content: html, cls: 'integration-dialog', buttons: [{
          text: 'Done', cls: 'action-primary', click: function () { go(gridUrl); }
        }] });
      });
    } else if (ctx.dialog === 'tokensExchange') {
      ajax('GET', dialogUrl('tokensExchange', id, reauthorize), null, function (res) { identityLogin(res, name); });
    }
  }

  window.integration = {
    popup: {
      show: function (link) {
        if (link && link.getAttribute) {
          show({ id: link.getAttribute('data-row-id'), dialog: link.getAttribute('data-row-dialog'),
            reauthorize: link.getAttribute('data-row-is-reauthorize'),
            tokenExchange: link.getAttribute('data-row-is-token-exchange'), name: rowName(link) });
        } else {
          show(link);
        }
      }
    }
  };

  /* ---- grid: filter, sort, paging, edit and delete ---- */
  function encodeFilter(grid) {
    var parts = [];
    $all('[data-role=filter-form] input, [data-role=filter-form] select', grid).forEach(function (el) {
      if (el.value !== '') { parts.push(encodeURIComponent(el.name) + '=' + encodeURIComponent(el.value)); }
    });
    if (!parts.length) { return ''; }
    return btoa(parts.join('&')).replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, ',');
  }

  function reloadGrid(grid, change) {
    var p = { limit: grid.getAttribute('data-limit'), page: grid.getAttribute('data-page'),
      sort: grid.getAttribute('data-sort'), dir: grid.getAttribute('data-dir'), filter: grid.getAttribute('data-filter') };
    Object.keys(change).forEach(function (k) { p[k] = change[k]; });
    var url = grid.getAttribute('data-grid-url');
    ['limit', 'page', 'sort', 'dir', 'filter'].forEach(function (k) {
      if (p[k]) { url += k + '/' + encodeURIComponent(p[k]) + '/'; }
    });
    go(url);
  }

  function initGrid(grid) {
    grid.addEventListener('click', function (e) {
      var t = e.target.closest('button, th[data-sort]');
      if (!t || t.disabled) { return; }
      if (t.matches('th[data-sort]')) {
        var key = t.getAttribute('data-sort');
        var dir = grid.getAttribute('data-sort') === key && grid.getAttribute('data-dir') === 'asc' ? 'desc' : 'asc';
        reloadGrid(grid, { sort: key, dir: dir, page: '1' });
      } else if (t.getAttribute('data-action') === 'grid-filter-apply') {
        reloadGrid(grid, { filter: encodeFilter(grid), page: '1' });
      } else if (t.getAttribute('data-action') === 'grid-filter-reset') {
        reloadGrid(grid, { filter: '', page: '1' });
      } else if (t.matches('.action-previous, .action-next')) {
        if (t.getAttribute('data-page')) { reloadGrid(grid, { page: t.getAttribute('data-page') }); }
      } else if (t.id === 'edit') {
        go(t.getAttribute('data-url'));
      } else if (t.id === 'delete') {
        var url = t.getAttribute('data-url');
        confirmBox('Are you sure?', "Are you sure you want to delete this integration? You can't undo this action.",
          function () { dataPost(url); });
      }
    });
    grid.addEventListener('keydown', function (e) {
      if (e.key !== 'Enter') { return; }
      if (e.target.closest('[data-role=filter-form]')) {
        e.preventDefault();
        reloadGrid(grid, { filter: encodeFilter(grid), page: '1' });
      } else if (e.target.id === 'integrationGrid_page-current') {
        e.preventDefault();
        reloadGrid(grid, { page: e.target.value });
      }
    });
    var limit = $('#integrationGrid_page-limit', grid);
    if (limit) { limit.addEventListener('change', function () { reloadGrid(grid, { limit: limit.value, page: '1' }); }); }
  }

  /* ---- form: tabs, resource tree, validation, save ---- */
  function initTabs() {
    $all('a.tab-item-link[data-tab]').forEach(function (a) {
      a.addEventListener('click', function (e) {
        e.preventDefault();
        selectTab(a);
      });
    });
  }

  function selectTab(a) {
    $all('a.tab-item-link[data-tab]').forEach(function (o) {
      o.classList.toggle('active', o === a);
      o.parentNode.classList.toggle('ui-state-active', o === a);
      var c = document.getElementById(o.getAttribute('data-tab'));
      if (c) { c.classList.toggle('no-display', o !== a); }
    });
  }

  /* The rolesTree widget: checking a node checks its subtree, unchecking
   * unchecks it; an ancestor of a checked node is "undetermined"; the form
   * posts resource[] for every checked and undetermined node. */
  function initTree(tree) {
    var form = tree.closest('form');
    var inputs = $('[data-role=resource-inputs]', form);
    function sync() {
      $all('li.jstree-node', tree).forEach(function (li) { li.classList.remove('jstree-undetermined'); });
      var ids = [];
      $all('li.jstree-node', tree).forEach(function (li) {
        var checked = li.classList.contains('jstree-checked');
        var below = !checked && li.querySelector('li.jstree-checked') !== null;
        if (below) { li.classList.add('jstree-undetermined'); }
        li.setAttribute('aria-selected', checked ? 'true' : 'false');
        $('a.jstree-anchor', li).classList.toggle('jstree-clicked', checked);
        if (checked || below) { ids.push(li.getAttribute('data-id')); }
      });
      inputs.innerHTML = '';
      ids.forEach(function (id) {
        var i = document.createElement('input');
        i.type = 'hidden';
        i.name = 'resource[]';
        i.value = id;
        inputs.appendChild(i);
      });
    }
    tree.addEventListener('click', function (e) {
      var li = e.target.closest('li.jstree-node');
      if (!li) { return; }
      e.preventDefault();
      if (e.target.classList.contains('jstree-ocl')) {
        li.classList.toggle('jstree-open');
        li.classList.toggle('jstree-closed');
        return;
      }
      var on = !li.classList.contains('jstree-checked');
      [li].concat($all('li.jstree-node', li)).forEach(function (n) { n.classList.toggle('jstree-checked', on); });
      if (on && !li.classList.contains('jstree-leaf')) { li.classList.add('jstree-open'); li.classList.remove('jstree-closed'); }
      sync();
    });
    sync();
    var access = $('[data-role=resource-access]', form);
    var container = $('[data-role=tree-resources-container]', form);
    if (access && container) {
      access.addEventListener('change', function () { container.classList.toggle('no-display', access.value === '1'); });
    }
  }

  var rules = {
    'required-entry': function (v) { return v.trim() !== '' ? '' : 'This is a required field.'; },
    'validate-email': function (v) {
      return v === '' || /^[a-z0-9,!#$%&'*+\/=?^_`{|}~-]+(\.[a-z0-9,!#$%&'*+\/=?^_`{|}~-]+)*@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i.test(v) ?
        '' : 'Please enter a valid email address (Ex: johndoe@domain.com).';
    },
    'validate-url': function (v) {
      return v === '' || /^(http|https|ftp):\/\/[a-z0-9]([a-z0-9_-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9_-]*[a-z0-9])?)*(:\d+)?(\/.*)?$/i.test(v) ?
        '' : 'Please enter a valid URL. Protocol is required (http://, https:// or ftp://).';
    }
  };

  function validate(form) {
    var first = null;
    $all('.mage-error[generated]', form).forEach(function (e) { e.remove(); });
    $all('input, select', form).forEach(function (el) {
      if (el.disabled || el.type === 'hidden') { return; }
      el.classList.remove('mage-error');
      var msg = '';
      Object.keys(rules).some(function (r) {
        if (el.classList.contains(r)) { msg = rules[r](el.value); }
        return msg !== '';
      });
      if (!msg) { return; }
      el.classList.add('mage-error');
      var label = document.createElement('label');
      label.className = 'admin__field-error mage-error';
      label.setAttribute('generated', 'true');
      label.id = el.id + '-error';
      label.htmlFor = el.id;
      label.textContent = msg;
      el.insertAdjacentElement('afterend', label);
      if (!first) { first = el; }
    });
    if (first) {
      var tab = first.closest('[data-role=tab-content]');
      var link = tab && $('a.tab-item-link[data-tab="' + tab.id + '"]');
      if (link) { selectTab(link); }
      first.focus();
    }
    return first === null;
  }

  function saveAndActivate(form) {
    if (!validate(form)) { return; }
    var data = new URLSearchParams(new FormData(form));
    ajax('POST', form.action, data.toString(), function (res) {
      if (res && res.integrationId) {
        show({ id: res.integrationId, dialog: 'permissions', reauthorize: '0', tokenExchange: res.isTokenExchange,
          name: escapeHTML($('#integration_properties_name').value) });
      }
    });
  }

  function initPage() {
    document.addEventListener('click', function (e) {
      var t = e.target.closest('[data-action], #add, #back, [data-toggle=dropdown]');
      if (!t) { return; }
      var form = $('#edit_form');
      switch (t.getAttribute('data-action') || t.id || t.getAttribute('data-toggle')) {
        case 'save':
          if (form && validate(form)) { spinner(true); form.submit(); }
          break;
        case 'save-activate':
          t.closest('.actions-split').classList.remove('_active');
          if (form) { saveAndActivate(form); }
          break;
        case 'save-config':
          spinner(true);
          $('#config-edit-form').submit();
          break;
        case 'dropdown':
          t.closest('.actions-split').classList.toggle('_active');
          break;
        case 'add':
        case 'back':
          go(t.getAttribute('data-url'));
          break;
      }
    });
    $all('input.config-inherit').forEach(function (c) {
      var field = document.getElementById(c.id.replace(/_inherit$/, ''));
      function apply() { if (field) { field.disabled = c.checked; } }
      c.addEventListener('change', apply);
      apply();
    });
  }

  initPage();
  initTabs();
  var grid = $('#integrationGrid');
  if (grid) { initGrid(grid); }
  $all('[data-role=resource-tree]:not([data-readonly])').forEach(initTree);
}());
