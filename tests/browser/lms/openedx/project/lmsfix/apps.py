"""The XBlock SDK workbench made fit to run the Open edX SCORM block (openedx-scorm-xblock) as an LMS would.

After the study of our SCORM packages in real LMS runtimes (its section "Open edX: openedx-scorm-xblock in the
XBlock SDK workbench"), which found these workbench problems and their workarounds; none touches the block:

* The block's own workbench scenario uses the tag <openedxscorm/> while its entry point is named "scorm"
  (PluginMissingError: openedxscorm when the workbench loads its scenarios): the block offers LMSFIX_SLOTS empty
  blocks instead, scenarios scorm.0, scorm.1, ..., each a <scorm/> of its own, for one package each.
* The workbench gives every block a Mock `location`; the block joins `location.block_id` into a path
  (extract_old_folder_base_path: "join() argument must be str ... not 'Mock'"). In Open edX it is the usage
  key's block id, a string: so it is here.
* The workbench's handler URLs end with "?student=<id>"; the block builds its asset URLs as
  handler_url(self, "assets_proxy").rstrip("?/") + "/" + path, so the path landed in the query string and the
  proxy answered 400 "Invalid asset path". Open edX's handler URLs carry no query string: for assets_proxy
  only, none is added here (a package's files are the same for every learner).
* The workbench only logs what a block publishes; Open edX's LMS keeps the grade and the completion. Here every
  event is also written to LMSFIX_EVENTS (one JSON object a line, with the learner and the block), where the
  tests read the grade the block published.

Studio's runtime.notify(), which the block's studio.js calls and the workbench lacks, does not matter here: the
tests post the upload form straight to the block's studio_submit handler. The popup's template tag library
(theme_pipeline) has a stand-in in templatetags/.
"""

from __future__ import annotations

import contextlib
import json
import threading
from typing import Any

from django.apps import AppConfig
from django.conf import settings


class LmsfixConfig(AppConfig):
    name = "lmsfix"

    def ready(self) -> None:
        from openedxscorm.scormxblock import ScormXBlock
        from workbench.runtime import WorkbenchRuntime

        slots = int(getattr(settings, "LMSFIX_SLOTS", 8))
        scenarios = [(f"SCORM package {n}", f"<scorm display_name='SCORM package {n}'/>") for n in range(slots)]
        ScormXBlock.workbench_scenarios = staticmethod(lambda: scenarios)

        patch_xblock = WorkbenchRuntime._patch_xblock

        def _patch_xblock(self: WorkbenchRuntime, block: Any) -> None:
            patch_xblock(self, block)
            with contextlib.suppress(AttributeError):  # a block whose location is protected keeps it
                block.location.block_id = str(block.scope_ids.usage_id).replace(".", "_")

        WorkbenchRuntime._patch_xblock = _patch_xblock

        handler_url = WorkbenchRuntime.handler_url

        def _handler_url(self: WorkbenchRuntime, block: Any, handler_name: str, suffix: str = "", query: str = "",
                         thirdparty: bool = False) -> str:
            url: str = handler_url(self, block, handler_name, suffix, query, thirdparty)
            return url.split("?", 1)[0] if handler_name == "assets_proxy" else url

        WorkbenchRuntime.handler_url = _handler_url

        publish = WorkbenchRuntime.publish
        events = getattr(settings, "LMSFIX_EVENTS", None)
        lock = threading.Lock()

        def _publish(self: WorkbenchRuntime, block: Any, event_type: str, event_data: Any) -> None:
            publish(self, block, event_type, event_data)
            if events is None:
                return
            record = {"user": self.user_id, "usage": str(block.scope_ids.usage_id), "type": event_type,
                      "data": event_data}
            with lock, open(events, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")

        WorkbenchRuntime.publish = _publish
