/* /notices/: every live notice addressed to me, pinned first, then the newest; unread ones are
   marked (in words and by the bar at their left). GET /api/v1/notices/ with 加载更多. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  Portal.list(document.querySelector("[data-role=list]"), "notices/", PortalBoard.noticeItem, {
    empty: gettext("暂时没有发给您的公告。"),
  });
});
