"""Lists Flotilla's Applications through the platform gRPC API, with stubs generated from its .proto.

Usage: python3 list_applications.py [HOST:PORT]          (default 127.0.0.1:9090)
The token comes from FLOTILLA_TOKEN, else from $FLOTILLA_HOME/admin.token (~/.flotilla/admin.token).
With FLOTILLA_CACERT (the CA that signed the server's certificate) it speaks TLS, else plaintext.
"""
import os
import sys

import grpc
from flotilla.api.v1 import api_pb2, api_pb2_grpc


def read_token():
    if os.environ.get("FLOTILLA_TOKEN"):
        return os.environ["FLOTILLA_TOKEN"]
    home = os.environ.get("FLOTILLA_HOME") or os.path.expanduser("~/.flotilla")
    with open(os.path.join(home, "admin.token")) as f:
        return f.read().strip()


def open_channel(address):
    ca = os.environ.get("FLOTILLA_CACERT")
    if not ca:
        return grpc.insecure_channel(address)
    with open(ca, "rb") as f:
        return grpc.secure_channel(address, grpc.ssl_channel_credentials(f.read()))


def main(address):
    auth = [("authorization", f"Bearer {read_token()}")]
    with open_channel(address) as channel:
        apps = api_pb2_grpc.ApplicationServiceStub(channel)
        print(f"{'CLUSTER':<16} {'NAME':<32} {'SYNC':<12} REVISION")
        request = api_pb2.ListApplicationsRequest(page_size=100)
        while True:  # follow every page
            page = apps.List(request, metadata=auth, timeout=10)
            for app in page.applications:
                sync = api_pb2.SyncStatus.Name(app.sync_status).removeprefix("SYNC_STATUS_")
                print(f"{app.cluster:<16} {app.name:<32} {sync:<12} {app.revision[:8]}")
            if not page.next_page_token:
                break
            request.page_token = page.next_page_token
        try:  # errors are standard gRPC status codes
            apps.Get(api_pb2.ApplicationName(name="no-such-app"), metadata=auth, timeout=10)
        except grpc.RpcError as e:
            print("Get no-such-app:", e.code().name)


if __name__ == "__main__":
    try:
        main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:9090")
    except grpc.RpcError as e:
        sys.exit(f"{e.code().name}: {e.details()}")
