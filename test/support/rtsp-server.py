"""A real RTSP server for the tests: GStreamer's gst-rtsp-server (Debian: gir1.2-gst-rtsp-server-1.0,
gstreamer1.0-plugins-good and -bad, python3-gi), serving H.264 MPEG-TS files at rtsp://127.0.0.1:PORT/live.

Usage: rtsp-server.py PORT FILE [FILE...]   (PORT 0 picks a free port)

The first client session plays the first file, the second the second, and so on; the last file serves every later
session. That is how a camera looks after its resolution was changed: whoever reconnects gets the new stream.

Prints "ready PORT" once listening, and "setup TRANSPORT" for every SETUP request so that a test can see which
transport (RTP over the RTSP connection, or over UDP) the client asked for. Each client gets its own pipeline
that plays the file from the start at its own pace; SIGTERM stops the server.
"""
import signal
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtsp', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

Gst.init(None)
port, media_files = sys.argv[1], sys.argv[2:]


class Factory(GstRtspServer.RTSPMediaFactory):
    sessions = 0

    def do_create_element(self, _url):
        media_file = media_files[min(self.sessions, len(media_files) - 1)]
        self.sessions += 1
        return Gst.parse_launch(
            f'filesrc location="{media_file}" ! tsdemux ! h264parse '
            '! rtph264pay name=pay0 pt=96 config-interval=-1'
        )


server = GstRtspServer.RTSPServer()
server.set_address('127.0.0.1')
server.set_service(port)
factory = Factory()
factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP | GstRtsp.RTSPLowerTrans.UDP)
server.get_mount_points().add_factory('/live', factory)


def on_setup(_client, context):
    transport = context.request.get_header(GstRtsp.RTSPHeaderField.TRANSPORT, 0)[1]
    print(f'setup {transport}', flush=True)


def on_client(_server, client):
    client.connect('setup-request', on_setup)


server.connect('client-connected', on_client)
if server.attach(None) == 0:
    sys.exit(f'cannot listen on 127.0.0.1:{port}')

loop = GLib.MainLoop()
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
print(f'ready {server.get_bound_port()}', flush=True)
loop.run()
