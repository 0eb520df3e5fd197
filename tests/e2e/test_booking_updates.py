"""bookingUpdated end to end: the ASGI app (backend.asgi) served by uvicorn on a free port,
real websocket clients speaking graphql-transport-ws, changes made over HTTP (GraphQL and the
signed payment webhook) on the same server. The guest and the host hear of every change of
their booking; a third member hears nothing; without a valid token there is no subscription.

The server runs in a thread of the test process, so it shares the test database (committed
data: a transactional test) and, in the embedded default, the in-memory channel layer."""

import asyncio
import json
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from gqlauth.jwt.types_ import TokenType
from websockets.asyncio.client import connect

from tests.domains.bookings.documents import CREATE, PAY, SUBSCRIPTION
from tests.domains.bookings.helpers import booking_input
from tests.domains.payments.stripe_events import intent_event, sign
from tests.factories import PropertyFactory, UserFactory

SECRET = "whsec_e2e"
PROTOCOL = "graphql-transport-ws"
QUIET = 1.5  # seconds a subscriber must hear nothing


@pytest.fixture
def server(transactional_db, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.SECURE_SSL_REDIRECT = False
    settings.PAYMENT_PROVIDER = "dev"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    # The server's threads close their connections after each request, so none outlives the
    # test (the test database could not be dropped).
    from django.db import connections

    max_age = connections.settings["default"]["CONN_MAX_AGE"]
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    from backend.asgi import application

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        application,
        lifespan="off",
        log_level="warning",
        ws="websockets-sansio",
        timeout_graceful_shutdown=2,
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):
        if instance.started:
            break
        time.sleep(0.05)
    assert instance.started, "uvicorn did not start"
    yield f"127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)
    sock.close()
    connections.settings["default"]["CONN_MAX_AGE"] = max_age


def token(user) -> str:
    return TokenType.from_user(user).token


class Subscriber:
    """One websocket client with one bookingUpdated subscription."""

    def __init__(self, websocket) -> None:
        self.ws = websocket

    @classmethod
    async def open(cls, address: str, authorization: str | None) -> "Subscriber":
        websocket = await connect(f"ws://{address}/graphql/", subprotocols=[PROTOCOL])
        payload = {"authorization": authorization} if authorization else {}
        await websocket.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(websocket.recv(), 5))
        assert ack["type"] == "connection_ack", ack
        await websocket.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}})
        )
        return cls(websocket)

    async def next(self, timeout: float = 10) -> dict:
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if message["type"] != "ping":
                return message

    async def nothing_for(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self.ws.recv(), seconds)
        except TimeoutError:
            return True
        return False


async def graphql(http: httpx.AsyncClient, user, document: str, variables: dict) -> dict:
    response = await http.post(
        "/graphql/",
        json={"query": document, "variables": variables},
        headers={"Authorization": f"Bearer {token(user)}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def succeeded_event(reference: str) -> dict:
    from django.db import connection

    from domains.payments.models import Payment

    try:
        return intent_event(
            Payment.objects.get(provider_reference=reference), "payment_intent.succeeded"
        )
    finally:
        connection.close()  # this thread's own connection


async def until_status(subscriber: Subscriber, status: str) -> dict:
    """The updates up to the first one with `status` (earlier ones may be payment changes)."""
    while True:
        message = await subscriber.next()
        assert message["type"] == "next", message
        update = message["payload"]["data"]["bookingUpdated"]
        if update["status"] == status and (update["payment"] or {}).get("status") == "SUCCEEDED":
            return update


@pytest.mark.django_db(transaction=True)
def test_guest_and_host_hear_of_their_booking_and_nobody_else(server):
    guest, stranger = UserFactory(), UserFactory()
    listing = PropertyFactory(instant_book=True)
    host = listing.host
    guest_token, host_token, stranger_token = token(guest), token(host), token(stranger)

    async def scenario() -> None:
        subscribers = [
            await Subscriber.open(server, f"Bearer {t}")
            for t in (guest_token, host_token, stranger_token)
        ]
        as_guest, as_host, as_stranger = subscribers
        async with httpx.AsyncClient(base_url=f"http://{server}", timeout=30) as http:
            created = await graphql(http, guest, CREATE, {"input": booking_input(listing)})
            booking_id = created["bookingCreate"]["booking"]["id"]
            paid = await graphql(http, guest, PAY, {"input": {"bookingId": booking_id}})
            assert paid["paymentCreate"]["errors"] == []
            first = await as_guest.next()
            assert first["payload"]["data"]["bookingUpdated"] == {
                "id": booking_id,
                "status": "PENDING",
                "payment": {
                    "id": paid["paymentCreate"]["payment"]["id"],
                    "status": "REQUIRES_PAYMENT",
                },
            }
            # the provider's signed webhook, as Stripe (or the dev provider) sends it
            reference = paid["paymentCreate"]["payment"]["providerReference"]
            event = await asyncio.to_thread(succeeded_event, reference)
            body = json.dumps(event)
            response = await http.post(
                "/webhooks/stripe/",
                content=body,
                headers={
                    "Stripe-Signature": sign(body, SECRET),
                    "Content-Type": "application/json",
                },
            )
            assert response.status_code == 200, response.text
        for subscriber in (as_guest, as_host):
            update = await until_status(subscriber, "CONFIRMED")
            assert update["id"] == booking_id
        assert await as_stranger.nothing_for(QUIET)
        for subscriber in subscribers:
            await subscriber.ws.close()

    asyncio.run(scenario())


@pytest.mark.django_db(transaction=True)
def test_no_subscription_without_a_valid_token(server):
    async def scenario() -> None:
        anonymous = await Subscriber.open(server, None)
        refused = await anonymous.next()
        assert refused["payload"]["data"] is None, refused
        assert refused["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert (await anonymous.next())["type"] == "complete"
        await anonymous.ws.close()
        # a token that names nobody is no better than none
        forged = await Subscriber.open(server, "Bearer nope")
        refused = await forged.next()
        assert refused["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        await forged.ws.close()

    asyncio.run(scenario())
