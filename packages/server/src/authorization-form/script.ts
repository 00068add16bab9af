/**
 * Progressive enhancement for the pages (the forms work without it):
 * select/deselect all, the live count, search and "show only selected" of
 * long lists (CDS-WG3-01 §9.2.3), and one submission per form (§9.2.1.6).
 * Loaded with the response's CSP nonce; no inline handlers.
 */
export const FORM_SCRIPT = `
(function(){
  document.querySelectorAll("[hidden].select-tools,[hidden].list-tools").forEach(function(el){el.hidden=false;});
  function boxes(name){return Array.prototype.slice.call(document.querySelectorAll('input[name="'+name+'.selected"]'));}
  function recount(name){
    var out=document.querySelector('[data-count="'+name+'"]'); if(!out) return;
    var all=boxes(name); var n=all.filter(function(b){return b.checked;}).length;
    out.textContent=out.textContent.replace(/^\\d+ of \\d+/, n+" of "+all.length);
  }
  function filter(name){
    var q=(document.querySelector('[data-search="'+name+'"]')||{}).value||"";
    var only=(document.querySelector('[data-only-selected="'+name+'"]')||{}).checked;
    boxes(name).forEach(function(b){var li=b.closest("li"); var hit=li.getAttribute("data-entry").indexOf(q.toLowerCase())>=0; li.hidden=!hit||(only&&!b.checked);});
  }
  document.addEventListener("click",function(e){
    var t=e.target; if(!(t instanceof HTMLElement)) return;
    var all=t.getAttribute("data-select-all"), none=t.getAttribute("data-select-none");
    if(all||none){boxes(all||none).forEach(function(b){if(!b.disabled) b.checked=!!all;}); recount(all||none); filter(all||none);}
  });
  document.addEventListener("change",function(e){
    var t=e.target; if(!(t instanceof HTMLInputElement)) return;
    var m=/^(.*)\\.selected$/.exec(t.name); if(m){recount(m[1]); filter(m[1]);}
    var o=t.getAttribute("data-only-selected"); if(o) filter(o);
  });
  document.addEventListener("input",function(e){var t=e.target; if(t instanceof HTMLInputElement&&t.getAttribute("data-search")) filter(t.getAttribute("data-search"));});
  document.querySelectorAll("form[data-once]").forEach(function(f){
    f.addEventListener("submit",function(e){
      if(f.getAttribute("data-sent")){e.preventDefault();return;}
      f.setAttribute("data-sent","1");
      var s=e.submitter; if(s&&s.name){var h=document.createElement("input");h.type="hidden";h.name=s.name;h.value=s.value;f.appendChild(h);}
      setTimeout(function(){document.querySelectorAll("form[data-once] button").forEach(function(b){b.disabled=true;});},0);
    });
  });
})();
`;
