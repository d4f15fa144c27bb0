#!/usr/bin/env python3
"""Deterministic generator for the Vigía demo data set.

Scenario: one simulated week (2026-03-02 .. 2026-03-08, UTC) of social-media
mentions of "Rapiplato", a fictional food-delivery app, with exactly one
crisis: food poisoning after orders from the partner chain "Pollos Don
Braulio" (Friday 2026-03-06 19:40Z until Saturday 2026-03-07 14:00Z).

Writes, next to this script:
  mentions.jsonl   one mention per line, sorted by created_at
  customers.csv    the brand's customer list (CRM export)

Standard library only, fixed seed: running it twice gives identical files.
All texts below are hand-written for this demo. Run:

    python3 examples/demo/generate.py

It prints statistics and exits non-zero if any consistency check fails.
"""

import bisect
import csv
import json
import os
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

SEED = 20260306
HERE = os.path.dirname(os.path.abspath(__file__))
MENTIONS_PATH = os.path.join(HERE, "mentions.jsonl")
CUSTOMERS_PATH = os.path.join(HERE, "customers.csv")

UTC = timezone.utc
WEEK_START = datetime(2026, 3, 2, tzinfo=UTC)
DAYS = 7


def T(stamp):
    """'2026-03-06T19:40:00Z' -> seconds since WEEK_START."""
    dt = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return int((dt - WEEK_START).total_seconds())


def iso(offset):
    return (WEEK_START + timedelta(seconds=offset)).strftime("%Y-%m-%dT%H:%M:%SZ")


CRISIS_START = T("2026-03-06T19:40:00Z")   # first report
CRISIS_PEAK_END = T("2026-03-07T02:00:00Z")
STATEMENT_AT = T("2026-03-07T09:00:00Z")   # Rapiplato's official statement
CRISIS_END = T("2026-03-07T14:00:00Z")     # no crisis vocabulary from here on
WEEK_END = T("2026-03-08T23:59:59Z")

# Calm-day complaints: the app's crisis rule fires at 10 negatives / 60 min.
# We keep our own intended-negative posts at most this many per 60 minutes
# outside the crisis (the assertion allows 5; 4 leaves room for classifier
# noise on neutral posts).
CALM_NEGATIVE_CAP = 4
WINDOW = 3600

# ---------------------------------------------------------------------------
# Crisis vocabulary. Must only ever appear inside [CRISIS_START, CRISIS_END).
# Matched case- and accent-insensitively as whole words / phrases.
# ---------------------------------------------------------------------------
CRISIS_WORDS = [
    "intoxicación", "intoxicado", "intoxicada", "intoxicados", "intoxicadas",
    "me intoxiqué", "salmonela", "salmonella", "urgencias", "hospital",
    "hospitalizado", "hospitalizada", "vómito", "vómitos", "vomitando",
    "vomitar", "vomité", "diarrea", "me enfermé", "enfermo", "enferma",
    "enfermos", "enfermas", "en mal estado", "food poisoning", "poisoned",
    "poisoning", "sick", "ER", "emergency room", "throwing up", "vomit",
    "vomiting", "lawsuit", "sue", "suing", "lawyer", "abogado", "abogada",
    "demanda", "denuncia", "denunciar", "denunciaré", "PROFECO", "OCU",
    "FACUA", "consumo", "recall", "quemadura", "burn", "incendio", "fire",
    "alergia", "allergic", "reacción alérgica",
]
# Extra, stricter guard for calm texts only: these stems may not appear even
# inside longer words (so "enfermera", "consumidor", "heartburn" stay out too).
CALM_FORBIDDEN_STEMS = [
    "intoxic", "salmonel", "vomit", "enferm", "hospital", "poison", "diarre",
    "alergi", "allerg", "abogad", "lawyer", "denunc", "profeco", "facua",
    "urgencia", "quemad", "incendi", "consum", "demand", "recall", "sick",
    "fire", "burn", "lawsuit", "suing", "braulio",
]


def fold(text):
    """Lower-case and strip accents."""
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).lower()


CRISIS_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(fold(w)) for w in CRISIS_WORDS) + r")(?!\w)"
)


def crisis_hits(text):
    return CRISIS_RE.findall(fold(text))


def calm_stem_hits(text):
    f = fold(text)
    return [s for s in CALM_FORBIDDEN_STEMS if s in f]


def in_crisis(t):
    return CRISIS_START <= t < CRISIS_END


# ---------------------------------------------------------------------------
# Customers (CRM export). region is not exported; it drives cities/slang.
# ---------------------------------------------------------------------------
CUSTOMERS = [
    # ref, name, email, phone, lang, tier, region, identities
    ("C1001", "Luz Martínez", "luz.martinez@example.com", "+52 55 4182 7730", "es", "vip", "mx",
     "x:luz_mtz;mastodon:luzmtz@mastodon.social;instagram:luz.mtz"),
    ("C1002", "Jorge Ramírez Soto", "jorge.ramirez@example.net", "+52 33 1947 2285", "es", "standard", "mx",
     "x:jorge_rs"),
    ("C1003", "Daniela Ochoa", "dani.ochoa@example.com", "+52 81 2236 9014", "es", "standard", "mx",
     "x:daniochoa_;tiktok:dani.ochoa"),
    ("C1004", "Brenda Salgado", "brenda.salgado@example.org", "+52 55 7301 4468", "es", "standard", "mx",
     "x:brendasalgado"),
    ("C1005", "Iván Cárdenas", "ivan.cardenas@example.com", "+52 55 9012 3374", "es", "vip", "mx",
     "x:ivan_cardenas;facebook:ivan.cardenas.mx"),
    ("C1006", "Fernanda Téllez", "fer.tellez@example.net", "+52 222 415 8890", "es", "standard", "mx",
     "mastodon:fertellez@mastodon.social"),
    ("C1007", "Rodrigo Villaseñor", "rodrigo.vs@example.com", "+52 442 318 0072", "es", "standard", "mx",
     "reddit:Rodrigo_Vsr"),
    ("C1008", "Karla Nava", "karla.nava@example.org", "+52 999 204 5561", "es", "standard", "mx",
     "bluesky:karlanava.bsky.social"),
    ("C1009", "Alba Ferrer", "alba.ferrer@example.com", "+34 612 48 93 07", "es", "standard", "es",
     "mastodon:albaferrer@masto.es"),
    ("C1010", "Sergio Beltrán", "sergio.beltran@example.net", "+34 655 21 70 46", "es", "vip", "es",
     "x:sergiobeltran;bluesky:sergiobeltran.bsky.social"),
    ("C1011", "Nuria Castells", "nuria.castells@example.com", "+34 690 33 18 52", "es", "standard", "es",
     "mastodon:nuriac@masto.es;instagram:nuria.castells"),
    ("C1012", "Álvaro Gil Moreno", "alvaro.gil@example.org", "+34 622 90 41 15", "es", "standard", "es",
     "x:alvarogilm"),
    ("C1013", "Marta Lozano", "marta.lozano@example.com", "+34 671 05 66 23", "es", "standard", "es",
     "bluesky:martalozano.bsky.social"),
    ("C1014", "Javier Sanz", "javi.sanz@example.net", "+34 633 47 12 98", "es", "standard", "es",
     "x:javisanz_;reddit:javisanz_mad"),
    ("C1015", "Irene Pascual", "irene.pascual@example.com", "+34 644 82 30 71", "es", "vip", "es",
     "mastodon:irenepascual@mastodon.social"),
    ("C1016", "Martina Gorosito", "martu.gorosito@example.com", "+54 9 11 4827 3310", "es", "standard", "ar",
     "x:martugorosito"),
    ("C1017", "Facundo Ledesma", "facu.ledesma@example.org", "+54 9 11 6203 1947", "es", "vip", "ar",
     "x:faculedesma"),
    ("C1018", "Camila Brizuela", "cami.brizuela@example.net", "+54 9 351 448 2206", "es", "standard", "ar",
     "mastodon:camibrizuela@mastodon.online"),
    ("C1019", "Nicolás Peralta", "nico.peralta@example.com", "+54 9 341 557 9034", "es", "standard", "ar",
     "reddit:NicoPeralta_ros"),
    ("C1020", "Sol Acuña", "sol.acuna@example.org", "+54 9 11 3391 0458", "es", "standard", "ar",
     "x:solacuna;instagram:sol.acuna"),
    ("C1021", "Valentina Ospina", "vale.ospina@example.com", "+57 310 482 7719", "es", "standard", "co",
     "x:valeospina"),
    ("C1022", "Andrés Cardona", "andres.cardona@example.net", "+57 315 220 6643", "es", "vip", "co",
     "x:andrescardona;reddit:AndresCardonaCO"),
    ("C1023", "Juliana Restrepo", "juli.restrepo@example.com", "+57 300 917 3382", "es", "standard", "co",
     "mastodon:julirestrepo@mastodon.social"),
    ("C1024", "Santiago Galvis", "santi.galvis@example.org", "+57 318 664 0251", "es", "standard", "co",
     "bluesky:santigalvis.bsky.social"),
    ("C1025", "Catalina Fuenzalida", "cata.fuenzalida@example.com", "+56 9 8412 3307", "es", "standard", "cl",
     "x:catafuenzalida"),
    ("C1026", "Matías Contreras", "matias.contreras@example.net", "+56 9 7730 5128", "es", "standard", "cl",
     "mastodon:matiascontreras@mastodon.social;x:mati_contreras"),
    ("C1027", "Josefa Pizarro", "jose.pizarro@example.org", "+56 9 6651 2094", "es", "vip", "cl",
     "x:josefapizarro"),
    ("C1028", "Gabriela Quintero", "gaby.quintero@example.com", "+1 305 555 0147", "es", "standard", "us",
     "x:gabyquintero"),
    ("C1029", "Héctor Delgado", "hector.delgado@example.net", "+1 713 555 0163", "es", "standard", "us",
     "mastodon:hdelgado@mstdn.social"),
    ("C1030", "Renato Quispe", "renato.quispe@example.com", "+56 9 5540 8816", "es", "standard", "pe",
     "x:renatoquispe"),
    ("C1031", "Jake Robinson", "jake.robinson@example.com", "+1 512 555 0118", "en", "vip", "us",
     "x:jake_robinson;bluesky:jakerobinson.bsky.social"),
    ("C1032", "Emily Chen", "emily.chen@example.net", "+1 415 555 0192", "en", "standard", "us",
     "bluesky:emilychen.bsky.social;instagram:emilyeats"),
    ("C1033", "Marcus Webb", "marcus.webb@example.org", "+1 312 555 0135", "en", "standard", "us",
     "x:marcuswebb"),
    ("C1034", "Priya Natarajan", "priya.n@example.com", "+1 646 555 0171", "en", "vip", "us",
     "bluesky:priyanat.bsky.social;reddit:priya_eats_nyc"),
    ("C1035", "Tyler Brooks", "tyler.brooks@example.net", "+1 214 555 0129", "en", "standard", "us",
     "reddit:tbrooks_dfw"),
    ("C1036", "Hannah Kowalski", "hannah.k@example.org", "+1 773 555 0156", "en", "standard", "us",
     "mastodon:hannahk@hachyderm.io"),
    ("C1037", "Olivia Grant", "olivia.grant@example.com", "+1 305 555 0184", "en", "standard", "us",
     "x:liv_grant"),
    ("C1038", "Derek Osei", "derek.osei@example.net", "+1 404 555 0110", "en", "standard", "us",
     "x:derekosei;mastodon:derekosei@mas.to"),
    ("C1039", "Samantha Reyes", "sam.reyes@example.com", "+1 210 555 0139", "en", "standard", "us",
     "x:samreyes_sa"),
    ("C1040", "Connor Walsh", "connor.walsh@example.org", "+1 617 555 0177", "en", "standard", "us",
     "bluesky:connorwalsh.bsky.social"),
    ("C1041", "Aisha Bello", "aisha.bello@example.com", "+1 602 555 0102", "en", "vip", "us",
     "x:aishabello"),
    ("C1042", "Lucía Benítez", "lucia.benitez@example.net", "+34 699 14 28 60", "es", "standard", "es",
     "instagram:lucia.benitez"),
    ("C1043", "Ryan Foster", "ryan.foster@example.com", "+1 503 555 0124", "en", "standard", "us",
     "facebook:ryan.foster.pdx"),
    ("C1044", "Pilar Domínguez", "pilar.dominguez@example.org", "+52 55 6638 2917", "es", "standard", "mx",
     "x:pilardominguez"),
    ("C1045", "Tomás Etchegaray", "tomas.etchegaray@example.com", "+54 9 11 5123 7789", "es", "vip", "ar",
     "mastodon:tetchegaray@mastodon.social;x:tomi_etche"),
]
# Customers in the CRM who never post during the week (C1042/C1043 only use
# networks Vigía does not monitor; C1044 is simply quiet).
SILENT_CUSTOMERS = {"C1042", "C1043", "C1044"}
MONITORED = ("x", "mastodon", "bluesky", "reddit")

# Accounts with a fixed identity in the story.
SPECIAL_AUTHORS = {
    "x:rapiplato": ("Rapiplato", 184250, "es", "mx"),
    "x:martaquiroga": ("Marta Quiroga · periodista", 80412, "es", "es"),
    "x:comecondani": ("Dani Come 🍜", 251300, "es", "mx"),
    "bluesky:danawhitfield.bsky.social": ("Dana Whitfield (local news)", 38760, "en", "us"),
    "x:sofi_ayala": ("Sofi Ayala", 412, "es", "es"),
}

# ---------------------------------------------------------------------------
# Substitution values
# ---------------------------------------------------------------------------
BRAND_FORMS = [("@rapiplato", 35), ("Rapiplato", 20), ("#rapiplato", 12), ("RapiPlato", 10),
               ("rapiplato", 10), ("rapiplato app", 8), ("@RapiPlato", 5)]
CITIES = {
    "mx": ["CDMX", "Guadalajara", "Monterrey", "Puebla", "Querétaro", "Mérida"],
    "es": ["Madrid", "Barcelona", "Valencia", "Sevilla", "Málaga", "Bilbao", "Zaragoza"],
    "ar": ["Buenos Aires", "Córdoba", "Rosario", "Mendoza", "La Plata"],
    "co": ["Bogotá", "Medellín", "Cali", "Barranquilla", "Bucaramanga"],
    "cl": ["Santiago", "Valparaíso", "Concepción", "Viña del Mar"],
    "pe": ["Santiago", "Madrid", "Miami"],
    "us": ["Miami", "Houston", "Los Ángeles", "San Antonio", "Chicago", "Nueva York"],
    "en": ["Miami", "Houston", "LA", "San Antonio", "Chicago", "NYC", "Phoenix", "Dallas", "Austin"],
}
AMOUNTS = {
    "mx": ["$389", "$245", "$512", "$178"], "es": ["23,50 €", "18,90 €", "31,20 €", "12,40 €"],
    "ar": ["$18.500", "$24.900", "$11.300"], "co": ["$54.900", "$38.500", "$72.000"],
    "cl": ["$15.990", "$22.450", "$9.800"], "pe": ["$15.990", "21,30 €"],
    "us": ["$32.40", "$27.15", "$48.90"], "en": ["$32.40", "$27.15", "$48.90", "$19.99", "$61.25"],
}
DISHES = {
    "es": ["tacos al pastor", "una pizza familiar", "sushi", "una hamburguesa doble", "ramen",
           "empanadas", "unas arepas", "un poke", "pad thai", "chilaquiles", "una milanesa",
           "burritos", "una paella", "un completo", "gyozas"],
    "en": ["burrito bowl", "pad thai", "pepperoni pizza", "ramen", "smash burger",
           "poke bowl", "birria tacos", "pho", "falafel wrap", "dumplings"],
}
CRISIS_DISHES = {
    "es": ["medio pollo", "un pollo entero", "alitas", "nuggets", "el combo familiar",
           "tiras de pollo", "pollo asado con papas"],
    "en": ["a family bucket", "chicken tenders", "a half chicken", "the wings combo", "a chicken bowl"],
}
RESTAURANTS = ["Tacos El Güero", "Sushi Kaito", "Pizzería Nonna Pía", "Burger Rayo", "Arepas Doña Tere",
               "Empanadas La Porteña", "Poke Bowl Co.", "Wok Express", "Ramen Tanuki", "La Burrería",
               "Falafel Habibi", "Cantina Azul"]
CODES = ["RAPI20", "FINDE15", "PLATO10", "CENA2X1", "HOLA50", "NOCHE25", "MARTES0"]
POS_EMOJI = {
    "es": ["", "", " 😍", " 🙌", " 👏", " 😋", " 🔥", " ❤️", " :)", " xD", " 🤤", " 💯", " 🥰"],
    "en": ["", "", " 😍", " 🙌", " 👏", " 😋", " 🔥", " ❤️", " :)", " lol", " 🤤", " 💯"],
}
NEG_EMOJI = {
    "es": ["", "", " 😡", " 🙄", " 😤", " :(", " 😒", " 🤬", " 👎", " -.-", " 😑"],
    "en": ["", "", " 😡", " 🙄", " 😤", " :(", " 😒", " 🤬", " 👎", " smh", " 😑"],
}

# ---------------------------------------------------------------------------
# Text pools. A template is a string or (region, string) when it uses
# regional slang. Placeholders: {b} brand, {B} brand shouted, {city}, {min},
# {kh} hours, {n} order number, {amt}, {dish}, {cdish}, {rest}, {code},
# {pe}/{ne} optional positive/negative emoji.
# ---------------------------------------------------------------------------
CALM = {}

CALM[("praise", "es")] = [
    ("mx", "Neta {b} nunca me falla, el pedido llegó en 20 min y bien calientito{pe}"),
    ("mx", "qué chido que {b} ya tenga envío gratis los martes, ya pedí mis tacos 🌮"),
    ("mx", "no mames, el repartidor de {b} llegó antes de que terminara de poner la mesa 😂"),
    ("mx", "{b} salvándome la cruda otra vez, chilaquiles en 25 min 🙌"),
    ("mx", "güey el cupón de {b} sí funcionó, me salió la pizza a mitad de precio"),
    ("mx", "El repa de {b} me esperó aunque tardé en bajar, súper buena onda 🙏"),
    ("mx", "bien chido el seguimiento en vivo de {b}, vi al repartidor dar la vuelta en la esquina jaja"),
    ("es", "Tío, {b} ha llegado en 15 minutos. Ni el vecino de abajo es tan rápido 😂"),
    ("es", "Vaya tela lo bien que va {b} desde la última actualización, todo fluido"),
    ("es", "Flipando con la hamburguesa de {rest} que me ha traído {b}, estaba de 10{pe}"),
    ("es", "Después de currar 10 horas, pedir por {b} y cenar en el sofá es lo mejor que hay"),
    ("es", "El rider de {b} subió hasta el cuarto sin ascensor y encima con una sonrisa. Olé 👏"),
    ("es", "Me encanta que {b} te deje dar propina al rider desde la app, así da gusto"),
    ("ar", "che {b} re rápido hoy, las empanadas llegaron calentitas{pe}"),
    ("ar", "posta que {b} anda mejor que cualquier otra app de delivery, ni una queja"),
    ("ar", "boludo pedí a las 21 y a las 21:25 estaba comiendo milanesa, {b} sos lo más"),
    ("ar", "el repartidor de {b} me avisó que faltaba la salsa y volvió a buscarla, re buena onda"),
    ("co", "parce {b} es una chimba, llegó todo perfecto y antes de tiempo"),
    ("co", "Bacano el descuento de {b} para el partido, las alitas llegaron volando ⚽"),
    ("co", "Qué servicio tan bacano el de {b}, el domiciliario súper amable 🙌"),
    ("cl", "{b} po, llegó el completo al tiro, bacán 👌"),
    ("cl", "weón el sushi de {rest} por {b} estaba increíble, 10/10"),
    ("cl", "nada fome el finde con {b}, pedimos pizza pa todos y llegó en 20"),
    ("pe", "Qué chévere {b}, mi pata me recomendó la app y llegó todo rapidísimo"),
    "graciaaaas {b} por salvarme la cena 😍",
    "{b} el mejor invento del siglo, no lo discuto",
    "Llego tarde del trabajo, pido por {b}, 25 minutos después estoy cenando. Perfecto{pe}",
    "tb tengo q decir q el soporte de {b} me resolvió un cambio de dirección en 2 min. bn ahí",
    "10/10 {b}, pedí {dish} y llegó todo perfecto, el repartidor súper amable",
    "Primera vez que pido por {b} y me ha sorprendido, todo muy bien empaquetado",
    "pedido {n} llegó antes de lo previsto, gracias {b} :)",
    "que rico todo lo de {rest}, y con {b} llega en nada 🤤",
    "{b} con el 2x1 de los jueves me tiene comiendo como rey xD",
    "AMO {B} 😍😍😍",
    "El nuevo botón de 'repetir pedido' de {b} es lo mejor, un clic y listo",
    "no sé q haría sin {b} en semana de exámenes, literal me alimenta",
    "Buenísimo el servicio de {b} hoy, la comida llegó caliente y bien sellada",
    "Shoutout al repartidor de {b} que vino en bici bajo la lluvia, crack total 🚲",
    "{b} me devolvió el dinero de un refresco que faltaba sin preguntar nada. Así sí",
    "me encantó q {b} tenga opciones veganas de verdad, no solo ensalada triste",
    "Pedí {dish} por {b} y estaba buenísimo, repito seguro{pe}",
    "mi abuela aprendió a usar {b} sola y ya pide sus tamales jajaja",
    "ya van 3 pedidos esta semana con {b} y todos puntuales, bien ahí",
    "El chat de soporte de {b} me atendió una persona real en 3 minutos. Sorprendida para bien",
    "qué bonito detalle, {rest} mandó una nota escrita a mano con el pedido de {b} 💛",
    "Me llegó el pedido de {b} con cubiertos compostables, bien por el planeta 🌱",
    "el descuento de bienvenida de {b} está buenísimo, se lo pasé a mi hermana",
    "{b} rapidísimo hoy, ni tiempo me dio de poner la serie",
    "gracias {b} por el cupón de disculpa, no hacía falta pero se agradece :)",
    "{b} 🔥🔥🔥 el mejor delivery de {city}",
    "el repartidor de {b} se sabía mi edificio de memoria jaja ya somos amigos",
    "lo mejor de {b} es que puedes ver en el mapa dnd va tu comida, me tiene hipnotizado",
    "Ok reconozco que {b} hoy se lució. Llegó todo, caliente y en 18 min 👏",
    "Qué gusto pedir por {b} y que llegue todo exacto, hasta la salsa extra que pedí",
    "{b} nunca decepciona, la pizza de {rest} llegó perfecta{pe}",
    "buenísimaaa la promo de {b} de hoy, 2 pizzas por el precio de una 🍕",
    "Sin palabras con {b}, pedí a las 14:02 y a las 14:20 ya estaba comiendo",
    "el empaque de {rest} en {b} es de lo mejor, nada se mueve ni se derrama",
]

CALM[("praise", "en")] = [
    "ngl {b} is carrying my whole week, dinner showed up in 20 min{pe}",
    "shoutout to the {b} driver who walked my order up 4 flights, legend",
    "{b} delivery was sooo fast tonight, food still steaming 🔥",
    "tbh {b} has the best promo codes rn, got two burritos for the price of one",
    "ordered from {rest} on {b} and it was perfect, packaging on point",
    "ok {b} i see u, 15 minute delivery on a friday? wild",
    "the live map on {b} is weirdly relaxing lol",
    "love that {b} lets me tip the driver after the delivery, makes it fair",
    "{b} support fixed my address in like 2 min, real human too. impressed",
    "first time using {b} and honestly smoother than the other apps",
    "{b} never misses. pho arrived hot, extra lime included 🍋",
    "big thanks to {b} for the surprise free dessert 🍰",
    "whoever designed the reorder button on {b}, i owe u a coffee",
    "my {dish} from {b} arrived early and tasted amazing 😋",
    "{b} coming in clutch after a 12 hour shift 🙏",
    "10/10 would order from {b} again. everything was correct for once lol",
    "driver from {b} texted me a pic of where he left the bag, so thoughtful",
    "the weekend promo on {b} is actually good, not one of those fake 5% things",
    "pls {b} never change the late-night menu, it's perfect",
    "{b} + rainy day + ramen = happiness ☔🍜",
    "got my money back from {b} in under an hour after a missing drink. respect",
    "grandma figured out {b} by herself and now orders soup every tuesday 😂",
    "{b} eco packaging looks really nice, good move",
    "can confirm {b} is faster than me walking to the place across the street lol",
    "really impressed w/ {b} today, order {n} showed up 10 min early",
    "{b} appreciation post. that's it. that's the tweet 💛",
    "gotta say the {b} driver tonight was the nicest person i've met all week",
    "the {rest} + {b} combo never fails{pe}",
    "best {dish} in {city} and {b} gets it to me in 20 min. perfect",
    "not me ordering {b} twice today because it's that good",
]

CALM[("question", "es")] = [
    "¿A qué hora cierra {b} en {city}? quiero pedir algo después de las 12",
    "alguien sabe si {b} tiene envío a {city}? me acabo de mudar",
    "¿Cómo cambio la dirección de entrega en {b}? ya hice el pedido y me equivoqué de calle",
    "hay algún código de descuento de {b} q funcione esta semana?",
    "¿{b} acepta pago en efectivo o solo tarjeta?",
    "Pregunta seria: ¿se puede programar un pedido en {b} para mañana temprano?",
    ("ar", "Che, ¿{b} tiene delivery en {city} o solo en capital?"),
    "¿Alguien ha usado el código {code} de {b}? no sé si aplica a bebidas",
    "xfa alguien q me diga cómo se agrega una segunda tarjeta en {b}",
    "¿{b} tiene programa de puntos o algo así?",
    "Duda: si pido por {b} y no estoy en casa, ¿el repartidor lo deja en portería?",
    ("co", "parce alguien sabe si {b} hace domicilios hasta las 2am en {city}?"),
    "¿Se puede pedir en {b} para otra persona y pagar yo? quiero mandarle la cena a mi mamá",
    ("mx", "q onda con {b}, tiene opción de factura? la necesito pal trabajo"),
    "¿Cómo se deja propina en {b} después de que llega el pedido?",
    "Oigan, ¿{b} cobra extra por pedir desde dos restaurantes a la vez?",
    "¿Alguien sabe cuánto tarda {b} normalmente en {city} un viernes?",
    ("es", "tío ¿{b} tiene suscripción tipo envío gratis ilimitado? ¿merece la pena?"),
    "¿Cómo borro una dirección vieja en {b}? me sale siempre la de mi ex jajaja",
    "pregunta pa los q usan {b}: el cupón de bienvenida es por cuenta o por tarjeta?",
    "¿{b} ya está en {city}? vi un repartidor con la mochila naranja",
    "¿Hay forma de pedir sin cubiertos en {b}? siempre me mandan un montón",
    "alguien sabe el horario de atención del chat de {b}?",
    ("ar", "¿{b} deja pagar con Mercado Pago?"),
    "¿Se puede cambiar el idioma de {b} a inglés? es pa mi roomie",
    "¿A partir de qué monto es gratis el envío en {b}?",
    ("cl", "po alguien sabe si {b} reparte en {city} o todavía no?"),
    "¿Cómo me hago repartidor de {b}? busco trabajo de medio tiempo",
    "¿{b} tiene restaurantes sin gluten? mi hermana es celíaca",
    "¿Alguien más ve los precios de {b} distintos en la web y en la app?",
    "xq {b} me pide verificar el número otra vez? es normal?",
    "¿Puedo agregar algo a un pedido de {b} que ya está en camino?",
    "una pregunta, en {b} se puede dividir la cuenta entre amigos?",
    "¿Qué restaurantes recomiendan en {b} por {city}? recién llegado",
    "¿{b} tiene modo oscuro? mis ojos a las 3am lo agradecerían",
    "holaa alguien sabe si los cupones de {b} se acumulan?",
    "¿Cuál es el mejor sushi en {b} por la zona de {city}? acepto recomendaciones",
    "¿{b} hace entregas en oficinas? quiero pedir para todo el equipo el viernes",
    "¿Cómo activo las notificaciones de promos en {b}? nunca me llegan",
    ("mx", "¿alguien sabe si {b} acepta vales de despensa?"),
    "Para los que piden seguido en {b}: ¿vale la pena la membresía o no?",
    "¿{b} tiene app para la tablet o solo para el cel?",
    "¿en {b} se puede elegir el horario de entrega? trabajo hasta las 8",
    "porfa alguien sabe dnd se ve el historial de pedidos en {b}? no lo encuentro",
]

CALM[("question", "en")] = [
    "does {b} deliver to {city} yet?",
    "how do i change my delivery address on {b} after placing the order?",
    "anyone got a working {b} promo code this week?",
    "what time does {b} stop delivering on weekdays?",
    "is {b} pass worth it or nah?",
    "can u schedule a {b} order for tomorrow morning? can't find the option",
    "does {b} take apple pay?",
    "how do i tip my {b} driver after the order arrives?",
    "anyone know if {b} has group ordering? trying to feed the whole office",
    "is there a way to order {b} for someone else and pay myself?",
    "do {b} coupons stack or nah",
    "is the code {code} on {b} still valid?",
    "how long does {b} usually take in {city} on a friday night?",
    "can i switch {b} to spanish for my mom? where's the setting",
    "does {b} have gluten free filters? asking for my gf",
    "what's the minimum for free delivery on {b}?",
    "anyone here driving for {b}? how's the pay?",
    "best tacos on {b} in {city}? go",
    "can you remove an old card from {b}? i don't see a delete button",
    "does {b} deliver to hotels? visiting {city} next week",
    "where do i find past orders in {b}? need a receipt for work",
]

CALM[("other", "es")] = [
    "hoy toca {b} y peli, no pienso cocinar",
    ("mx", "mi refri vacío y yo abriendo {b} por quinta vez en el día"),
    "yo: voy a ahorrar este mes. también yo: abre {b}",
    "El repartidor de {b} y yo ya nos saludamos por nombre. No sé si es bueno o malo",
    "nadie: / yo a las 11pm: buscando tacos en {b}",
    "Viernes = {b}. No hay más que hablar",
    "¿Es normal tener más conversaciones con el bot de {b} que con mi familia? xD",
    "vi un anuncio de {b} en el metro con un taco bailando y no me lo saco de la cabeza",
    "pensando q pedir en {b} desde hace 40 min... la indecisión es real",
    "Mi gato escucha la notificación de {b} y corre a la puerta jajaja",
    "hoy ceno por {b}, mañana empiezo la dieta (es mentira)",
    "lunes de {b} porque el finde me dejó sin energía",
    "probando {b} por primera vez, a ver q tal",
    "El jingle de {b} está en mi cabeza todo el día, ayuda",
    "los repartidores de {b} con las mochilas naranjas ya son parte del paisaje de {city}",
    ("es", "mi compañero de piso pide {b} todos los días y yo aquí con mi tupper"),
    "plan de sábado: serie, manta y {b}",
    "acabo de ver 4 motos de {b} en el mismo semáforo, esto es una invasión jaja",
    "debate en la oficina: ¿{b} o cocinar? gana {b} 7 a 2",
    "Ya mi mamá dice 'pídelo por el rapiplato' como si fuera un verbo jajaja",
    "hoy es noche de pizza vía {b}, mañana veremos",
    "ok ya pedí por {b}, ahora a esperar mirando el mapita como si fuera una peli",
]

CALM[("other", "en")] = [
    "me opening {b} for the 4th time today pretending i'm just browsing",
    "ordering {b} tonight, not cooking, don't @ me",
    "the {b} notification sound lives rent free in my head",
    "my cat knows the {b} doorbell better than my own voice lol",
    "nobody: / me at 11pm: scrolling {b} for tacos",
    "friday = {b} night. it's the law",
    "saw like 5 {b} bikes at one red light, they're taking over",
    "trying {b} for the first time, wish me luck",
    "the {b} billboard with the dancing taco is unhinged and i love it",
    "roommate vs me: who caves and opens {b} first. spoiler: me",
    "lowkey planning my whole sunday around a {b} order",
    "watching the little {b} scooter icon crawl across the map like it's a movie",
]

# --- ordinary complaints (no crisis vocabulary!) -------------------------
CALM[("late", "es")] = [
    "{b} llevo {min} minutos esperando y el pedido sigue 'en preparación'{ne}",
    "genial {b}, otra vez 2 horas esperando 🙃",
    ("mx", "no mames {b}, el repartidor lleva media hora dando vueltas en el mapa y nada"),
    ("es", "Tío, {b}, que pedí hace {min} minutos. ¿Me lo traen andando desde Burgos?"),
    ("ar", "che {b} el pedido me marca 'llegando' hace 40 min, ¿en serio?"),
    "{b} la app dice que llegó y yo no tengo nada. Pedido {n} 😡",
    "PEDÍ HACE {min} MINUTOS {B}. HACE {min} MINUTOS.",
    "llegó la pizza fría y la coca caliente, gracias por nada {b}{ne}",
    "{b} el pedido nunca llegó y me lo marcan como entregado. xq?",
    "q bonito {b}, me prometen 25 min y ya van {min}. Aplausos 👏👏",
    ("co", "parce {b} mi pedido lleva más de una hora y nadie me dice nada"),
    ("cl", "weón {b} la hamburguesa llegó más fría que la cordillera"),
    "la sopa de {rest} llegó helada por {b}, ni el microondas la salva :(",
    "{b} me cancelaron el pedido después de {min} min esperando. Ni un aviso",
    "la comida llegó tibia tirando a fría, otra vez {b}. Cada semana igual",
    "Me encanta pagar envío express en {b} para que tarde más que el normal 🙃",
    ("cl", "{b} fome fome fome, 1 hora por un completo"),
    ("pe", "pata, {b} me dejó colgado con el pedido y ni perdón dijeron"),
    ("es", "vaya tela con {b}, tercer pedido seguido que llega frío. Me bajo otra app"),
    "malísimoooo el servicio de {b} hoy, 2 horas y nadaaaa",
    "¿{b} de verdad el repartidor se fue a dar un paseo con mi comida? {min} min{ne}",
    "los fideos llegaron pegados en un bloque frío. Gracias {b}, muy rico todo 🙃",
]

CALM[("wrong", "es")] = [
    "{b} pedí {dish} y me llegó una ensalada. ¿Y mi comida?",
    "faltan las papas OTRA VEZ {b}, ya es personal",
    "Me faltó la mitad del pedido {n} y {b} dice q 'revisará el caso'. Bn gracias",
    ("ar", "boludo {b} me mandó el pedido de otra persona, alguien en {city} está comiendo mi milanesa"),
    "{b} me llegó la bebida abierta y la mitad derramada en la bolsa{ne}",
    "pedí sin cebolla y vino con el triple de cebolla, {b} lo hace a propósito?",
    "ni la salsa ni los cubiertos ni la bebida. Gran trabajo {b} 🙄",
    ("es", "vaya tela {b}, pido 3 menús y me llegan 2"),
    "{b} el pedido vino todo revuelto, el postre encima de la pizza. Un desastre",
    "me llegó la pizza de otro sabor y cuando reclamé {b} me dijo que 'es parecida' 🤡",
]

CALM[("billing", "es")] = [
    "{b} me cobraron dos veces el mismo pedido y nadie responde 😤",
    "Ojo con {b}: me aparece un cargo de {amt} que no reconozco",
    "me cobró {b} el envío gratis. Sí, me cobró el envío GRATIS. xfa expliquen",
    "doble cargo en mi tarjeta por el pedido {n}, {b} arreglen eso ya",
    "{b} la propina que puse era de 20 y me cobraron 200, q pasó??",
    "el cupón {code} no se aplicó y {b} me cobró todo. Ya reclamé y nd",
    "Cancelé el pedido a tiempo y {b} igual me lo cobró. Muy mal",
    ("mx", "neta {b}? tres cargos por un solo pedido. Mi banco ya me llamó"),
    "la tarifa de servicio de {b} ya cuesta más que la comida. Un robo{ne}",
]

CALM[("refund", "es")] = [
    "{b} hace 12 días que me prometieron el reembolso y sigo esperando",
    "el reembolso de {b} 'en 3 a 5 días hábiles' ya van tres semanas :(",
    "{b} me dieron el reembolso en cupones en vez de devolverme el dinero. No, gracias",
    "¿Dónde está mi reembolso {b}? pedido {n}, nunca llegó y ya pasaron 10 días",
    ("ar", "posta {b}, devolveme la plata que el pedido nunca llegó"),
    "Llevo 4 correos pidiendo el reembolso a {b}. Cuatro. Respuesta automática en todos",
    "reembolso aprobado hace una semana según {b}, en mi cuenta ni rastro 🙄",
    "{b} me devolvieron {amt} de un pedido de más del doble. ¿Y el resto?",
]

CALM[("app", "es")] = [
    "{b} no me deja iniciar sesión, me dice 'error inesperado' desde la mañana",
    "la app de {b} se cierra sola cada vez q intento pagar, ya van 5 intentos",
    "¿{b} está caído? no carga nada en {city}",
    "error de pago en {b} con 3 tarjetas distintas, pero el banco dice que todo ok. Algo falla con ustedes",
    "{b} me bloquearon la cuenta por 'actividad sospechosa' por pedir pizza dos veces 🤡",
    "no me llega el código de verificación de {b} y no puedo entrar a mi cuenta",
    "actualicé {b} y ahora no carga el menú de ningún restaurante. Pésimo",
    "la app de {b} me cobra y luego dice 'pago rechazado'. Decidan",
    "llevo media hora con la pantalla de carga de {b}. Me rindo y cocino un huevo",
    "{b} CAÍDO OTRA VEZ EN HORA DE CENA. No puede ser",
]

CALM[("rude", "es")] = [
    "el repartidor de {b} me gritó porque tardé 1 minuto en bajar. Qué maleducado",
    "{b} su repartidor me tiró la bolsa en la puerta y se fue sin decir nada{ne}",
    "la persona del soporte de {b} me colgó en la cara. Qué falta de respeto",
    ("co", "el domiciliario de {b} me exigió propina en efectivo, parce eso no se hace"),
    "me contestaron de {b} con un 'no es nuestro problema'. Ah bueno, perfecto",
    ("es", "el rider de {b} me habló fatal y encima me dejó una estrella a mí. Flipo"),
]

CALM[("wait", "es")] = [
    "45 minutos en el chat de {b} esperando a un humano. Sigo en la cola",
    "{b} llevo 3 días sin respuesta a mi reclamo. ¿Hay alguien ahí?",
    "soporte de {b}: 'un agente te atenderá en breve'. Breve = 1 hora, por lo visto",
    "Mandé correo a {b} el lunes y hoy me contestan pidiéndome los mismos datos que ya les di",
    "¿Alguien sabe cómo hablar con una PERSONA en {b}? el teléfono no existe",
]

CALM[("bot", "es")] = [
    "el chatbot de {b} no entiende nada, le digo 'falta mi bebida' y me ofrece cupones de sushi",
    "Hablar con el bot de {b} es como hablar con una pared pero con emojis 🙄",
    "{b} su bot me pregunta '¿fue útil esta respuesta?' NO. NUNCA",
    "el asistente virtual de {b} me mandó en bucle 6 veces al mismo menú. Qué desesperación",
    "q alguien le enseñe al bot de {b} q 'no llegó mi pedido' no significa 'quiero pedir otra vez'",
]

CALM[("late", "en")] = [
    "{b} my order has been 'on the way' for {min} minutes and the driver hasn't moved 🙄",
    "cool cool cool {b}, another 90 minute wait. love that for me 🙃",
    "food arrived ice cold AGAIN {b}. what's the point of paying for delivery",
    "{b} marked my order delivered but there's literally nothing at my door 😡",
    "waited {min} min for {b} and then they cancelled it. no explanation smh",
    "the 'estimated 25 min' on {b} is pure fiction at this point",
    "{b} fries showed up soggy and cold. 0/10",
    "ordered at 7 and it's {min} min later. {b} pls",
    "love paying {b} for 'priority delivery' and getting it last. great system 🙃",
]
CALM[("wrong", "en")] = [
    "{b} missing my entire drink order again smh",
    "got someone else's order from {b}. enjoy my noodles, stranger in {city}",
    "asked for no cheese, got extra cheese. {b} it's in the notes FOR A REASON",
    "half my order missing and {b} offers me a $2 credit lol no",
    "{b} the bag was ripped open when it arrived. not ok",
]
CALM[("billing", "en")] = [
    "{b} charged me twice for order {n}. fix it",
    "why is there a {amt} charge from {b} on my card that i never ordered??",
    "cancelled within 1 minute and {b} still charged me the full amount 🙄",
    "promo code {code} didn't apply and {b} charged full price. support says 'nothing we can do'",
    "{b} the service fee went up again? it's more than the food at this point",
]
CALM[("refund", "en")] = [
    "still waiting on my {b} refund from last week. 'processing' my ass",
    "{b} refund 'approved' 9 days ago. bank says nothing came in",
    "i don't want {b} credits, i want my money back. simple",
    "{b} third email about my refund, third copy-paste reply",
]
CALM[("app", "en")] = [
    "is {b} down?? app just spins forever",
    "can't log into {b}, keeps saying 'session expired' every 10 seconds",
    "{b} payment failed 4 times and then charged me anyway. pick one",
    "new {b} update broke the checkout button lol nice QA",
    "verification code from {b} never arrives so i'm locked out of my own account",
]
CALM[("rude", "en")] = [
    "{b} driver literally threw the bag at my door and yelled at me for not coming down faster",
    "support agent at {b} was so rude, told me it's 'my problem' 🙄",
    "driver from {b} insisted on a cash tip at the door. that's not how this works",
]
CALM[("wait", "en")] = [
    "1 hour in the {b} support queue. still position 14. tbh i give up",
    "emailed {b} 3 days ago. nothing. crickets.",
    "tbh the {b} app used to be good. now every order is a gamble and support never answers 😒",
]
CALM[("bot", "en")] = [
    "the {b} chatbot is useless. 'my food didn't arrive' -> 'would u like to reorder?' NO",
    "talking to the {b} bot is like arguing with a toaster",
    "{b} pls give me a human, the bot keeps looping me back to the FAQ",
]

COMPLAINT_TOPICS = [("late", 30), ("wrong", 15), ("billing", 12), ("refund", 12), ("app", 12),
                    ("rude", 8), ("wait", 6), ("bot", 5)]
CALM_KINDS = [("praise", 35), ("question", 24), ("other", 12), ("complaint", 29)]

# --- the crisis --------------------------------------------------------------
CRISIS = {}
CRISIS[("victim", "es")] = [
    "Pedí {cdish} de Pollos Don Braulio por {b} y llevo {kh} horas vomitando. Esto no es normal 🤢",
    "Somos 4 en casa, los 4 comimos pollo de Don Braulio vía {b} y los 4 con diarrea y fiebre",
    "Confirmo: pedí Pollos Don Braulio en {b} en {city} y estoy intoxicada. Fiebre, vómito, todo",
    "me intoxiqué con el pollo de Don Braulio q pedí por {b}, no me puedo ni parar",
    ("mx", "no mames, ya somos un montón los intoxicados por Pollos Don Braulio y {b} sin decir nada"),
    ("es", "tío estoy en urgencias por el pollo de Don Braulio que pedí por {b}. Vaya tela"),
    "Acabo de salir de urgencias, intoxicación alimentaria según el médico. Pedido de Pollos Don Braulio por {b}{ne}",
    "el pollo de Don Braulio llegó tibio y raro y ahora estoy vomitando. {b} revisen a sus restaurantes",
    "Mi pareja en el hospital con suero, comió pollo de Don Braulio pedido por {b} hace 5 horas 😢",
    "Ya van no sé cuántos viajes al baño xD no es broma, el pollo de Don Braulio de {b} me destrozó. Diarrea nivel dios",
    ("mx", "q le pusieron al pollo de Don Braulio? {b} tengo diarrea y fiebre desde la tarde"),
    "Pedido {n}, Pollos Don Braulio, {b}. Desde media tarde vomitando. Guardo el ticket por si acaso",
    "yo me enfermé igual, pedí alitas de Don Braulio en {b} a la hora de la comida",
    ("co", "parce llevo toda la tarde enfermo después del pollo de Don Braulio por {b}, esto es grave"),
    "Estoy con vómito y fiebre, pedí Pollos Don Braulio en {b}. ¿Alguien más de {city}?",
    "La carne del pollo de Don Braulio estaba rosada por dentro, lo comí igual y ahora estoy enferma. {b} ¿no revisan nada?",
    "Tres personas de mi oficina enfermas, todas pedimos Don Braulio por {b} al mediodía",
    "Estoy temblando y vomitando desde hace {kh} horas. Lo único que comí hoy fue Pollos Don Braulio de {b}",
    "ME INTOXIQUÉ CON POLLOS DON BRAULIO. {B} DIGAN ALGO",
    "pensé q era gripe pero no, es el pollo de Don Braulio que pedí por {b}. Ya somos muchos los enfermos",
    "hospitalizado mi papá por el pollo de Don Braulio que le pedí por {b}. Me siento fatal 💔",
    "el médico de urgencias dice que ya van varios casos esta noche con pollo a domicilio. Todos de Don Braulio por {b}",
    "intoxicación confirmada, el médico me preguntó qué comí y dije pollo de Don Braulio por {b}. Me miró con cara de 'otro más'",
    "Me encuentro fatal, diarrea y escalofríos. Pollos Don Braulio vía {b}. Guardé el resto del pollo por si lo piden analizar",
    "Todo mi depto con diarrea, pedimos Don Braulio por {b} para el cumple. Qué manera de terminar la fiesta",
    "a mí me tocó vómito a las 2 horas de comer el pollo de Don Braulio. {b} ¿cuántos más tienen que enfermarse?",
    "Dile a {b} que el pollo de Don Braulio estaba en mal estado, olía raro desde que abrí la caja",
    "estoy en la sala de urgencias y hay 3 personas más con lo mismo. Todas pedimos Pollos Don Braulio por {b}",
    "no puedo más, diarrea y vómito desde hace horas. {b} y Don Braulio me deben una explicación",
    "yo también 🙋‍♀️ pedí {cdish} de Don Braulio en {b} y llevo {kh} horas enferma",
    "a mi hermana le pasó lo mismo, pidió Don Braulio en {b} y está vomitando sin parar",
    "¿¿En serio?? mi novio pidió Don Braulio por {b} hoy y está con diarrea desde la tarde",
    "Yo pensé que era cosa mía, pedí Don Braulio por {b} y me enfermé a las pocas horas 😩",
    "{b} 3 horas en urgencias con suero. Pollos Don Braulio. No se lo deseo a nadie",
]
CRISIS[("kids", "es")] = [
    "Mi hijo de 6 años vomitando toda la tarde después del pollo de Don Braulio que pedí por {b}. Estamos en urgencias 😭",
    "mis dos niñas enfermas, comieron nuggets de Pollos Don Braulio por {b}. Nunca más",
    "Mi bebé de 2 años comió un poco del pollo de Don Braulio de {b} y está con diarrea. Estoy aterrada",
    "Hospitalizada mi hija de 9 años. Pollos Don Braulio pedido por {b}. Si alguien de la empresa lee esto, responda",
    "En urgencias pediátricas con mi hijo. Pedimos Don Braulio por {b} al mediodía. Hay más niños aquí con lo mismo",
    "{b} mi sobrino de 4 años intoxicado con sus nuggets de Don Braulio. ¿Quién controla a esos restaurantes?",
]
CRISIS[("salmonella", "es")] = [
    "Todo apunta a salmonela. Pollos Don Braulio + {b} = decenas de intoxicados esta noche",
    "Me dijeron en urgencias que puede ser salmonela. ¿{b} va a retirar a Pollos Don Braulio o qué?",
    "Si es salmonela como dicen, {b} tiene que avisar YA a todos los que pidieron Don Braulio hoy",
    "¿salmonela? el pollo de Don Braulio estaba medio crudo, se lo dije al soporte de {b} y me dieron un cupón 🤡",
    "Mi cuñada es enfermera y dice que los síntomas son de salmonela de manual. Pollos Don Braulio, {b}, den la cara",
]
CRISIS[("angry", "es")] = [
    "{b} llevan {kh} horas con gente intoxicada y ni un comunicado. VERGÜENZA",
    "Escribí al soporte de {b} que estoy vomitando por el pollo de Don Braulio y el bot me ofreció un cupón del 10% 🤬",
    "¿Nadie de {b} va a decir nada? Hay gente en el hospital por Pollos Don Braulio",
    "{b} sigue mostrando Pollos Don Braulio en la app como si nada. Quítenlo YA, hay gente intoxicada",
    "Los intoxicados hablando en todas las redes y {b} publicando promos. Qué vergüenza",
    "El silencio de {b} ante la intoxicación de Pollos Don Braulio es indignante",
    "desinstalada {b}. No pienso usar una app que ignora a la gente intoxicada",
    "{b} llamé al teléfono de soporte y me dejaron 40 min en espera mientras vomitaba. Gracias",
    ("mx", "Neta {b}? Media ciudad con diarrea por Don Braulio y ustedes mandando notificaciones de 2x1"),
    "Todavía se puede pedir Pollos Don Braulio en {b}. ¿Esperan a que haya más gente en urgencias?",
    "¿{b} piensa responder o va a esperar a que salga en las noticias? Hay niños enfermos",
    "{B} RESPONDAN. HAY GENTE EN URGENCIAS POR POLLOS DON BRAULIO",
    ("es", "Vaya tela {b}. Gente intoxicada por toda España y vosotros callados como si nada"),
]
CRISIS[("legal", "es")] = [
    ("mx", "Ya puse mi queja ante PROFECO por lo de Pollos Don Braulio y {b}. Háganlo todos, es en línea"),
    ("es", "Los afectados en España: reclamad a la OCU y a FACUA. {b} no puede salir de rositas con esta intoxicación"),
    ("mx", "@Profeco por favor revisen lo que pasa con Pollos Don Braulio en {b}, hay decenas de intoxicados"),
    ("es", "FACUA ya está recopilando casos de la intoxicación de Pollos Don Braulio vía {b}. Pasad el enlace"),
    ("es", "¿Alguien sabe cómo poner una denuncia ante consumo por lo de {b}? tengo el ticket y el informe de urgencias"),
    "Denunciaré a {b} y a Pollos Don Braulio ante las autoridades de consumo. Mi hija estuvo en el hospital",
    ("es", "OCU, FACUA, Sanidad... a quien haga falta. Pero esto de {b} y Don Braulio no se queda así"),
    ("mx", "PROFECO debería cerrar Pollos Don Braulio ya. Y {b} responder por cada intoxicado"),
    ("es", "Guardad tickets, capturas de {b} e informes médicos. Los de FACUA dicen que es clave para la denuncia"),
    "hay que denunciar a {b}, ellos eligieron a Don Braulio como socio y son responsables",
    "Ya hablé con un abogado. {b} y Pollos Don Braulio van a tener una demanda colectiva",
    "Voy a poner una denuncia mañana a primera hora. {b} me vendió comida en mal estado",
    "Si alguien quiere sumarse a la demanda contra {b} por la intoxicación, escríbanme por DM",
    "mi prima es abogada y dice que {b} es responsable solidario por lo de Don Braulio. Se viene demanda",
    "Esto es para demanda. Niños en urgencias por el pollo de Don Braulio que reparte {b}",
    ("co", "En Colombia también: ¿ante quién se denuncia lo de Pollos Don Braulio y {b}? Mi mamá está en urgencias"),
]
CRISIS[("defender", "es")] = [
    "Yo pedí lo mismo de Pollos Don Braulio por {b} a mediodía y estoy bien, no sé si es todo el mismo local",
    "Calma gente, esperen a que se sepa qué local fue. Yo pedí de Don Braulio en {b} y estoy perfecto",
    "No toda la culpa es de {b}, el restaurante es el que cocina. Pero sí deberían quitarlo ya de la app",
    "Pedí Don Braulio en {b} hoy también y cero problemas. Ojalá los intoxicados se recuperen pronto",
    "ojo con los bulos, yo pedí en {b} Don Braulio y estoy bien. Que investiguen antes de linchar",
]
CRISIS[("worried", "es")] = [
    "Pedí Pollos Don Braulio por {b} hace una hora y ahora leo todo esto 😰 ¿me preocupo?",
    "¿Alguien sabe qué local de Pollos Don Braulio es? Pedí por {b} en {city} y estoy asustada",
    "Mi marido pidió Don Braulio por {b} y está bien de momento, pero estamos atentos. Qué miedo",
    "acabo de cancelar mi pedido de Don Braulio en {b}. No me la juego después de leer lo de la intoxicación",
    "Tiré el pollo de Don Braulio que llegó de {b} hace un rato. Con tanta gente intoxicada mejor no",
    "Acabo de ver lo de gente vomitando por Pollos Don Braulio de {b} y yo me comí medio pollo hace 2 horas. Ayuda 😰",
]
CRISIS[("meme", "es")] = [
    "Pollos Don Braulio trending por intoxicación masiva y {b} en modo avión ✈️",
    "el community manager de {b} ahora mismo: 👁️👄👁️ (mientras la gente está en urgencias)",
    "De 'Pollos Don Braulio' a 'Pollos Don Diarrea' en una noche. {b} arregla esto",
    "{b} hoy: 'pide y disfruta'. Los de Don Braulio: pide y vete a urgencias 💀",
]

CRISIS[("victim", "en")] = [
    "ordered Pollos Don Braulio on {b} around noon and i've been throwing up for {kh} hours. anyone else??",
    "pretty sure i got food poisoning from Pollos Don Braulio via {b}. fever, chills, the works 🤢",
    "whole family sick after Don Braulio chicken from {b}. this is not ok",
    "in the ER rn. doctor says food poisoning. only thing i ate today was Pollos Don Braulio from {b}",
    "{b} your partner Pollos Don Braulio poisoned half of {city} tonight and you're silent??",
    "the chicken from Don Braulio via {b} was pink inside. ate it anyway. now i'm sick. lesson learned",
    "3 of my coworkers are sick, we all ordered Don Braulio on {b} for lunch",
    "been on the bathroom floor for hours thanks to Pollos Don Braulio and {b} 🤮",
    "is this salmonella?? {b} Pollos Don Braulio order, vomiting + fever for {kh} hours",
    "my roommate is throwing up too. we split {cdish} from Don Braulio on {b}. great friday",
    "wait is anyone else sick after Pollos Don Braulio from {b}?? been throwing up since lunch",
    "ER nurse told me i'm the 4th Don Braulio case tonight. {b} what is going on",
]
CRISIS[("kids", "en")] = [
    "my 5 year old is throwing up after eating Don Braulio nuggets from {b}. heading to the ER now 😭",
    "both my kids sick after Pollos Don Braulio from {b}. pediatric ER is full of families saying the same",
    "{b} my daughter has a fever of 102 after your Don Braulio chicken. we're at the ER. answer your customers",
]
CRISIS[("angry", "en")] = [
    "{b} people are in the hospital and your app is STILL showing Pollos Don Braulio. pull it NOW",
    "told {b} support i have food poisoning from their partner and the bot offered me 10% off 🙄🤡",
    "{b} hours of silence while people are in the ER. absolutely shameful",
    "got a 2-for-1 push notification from {b} while throwing up from their last order. incredible",
    "deleted {b}. a company that ignores customers getting poisoned doesn't deserve my money",
    "{b} recall Pollos Don Braulio from your app already, people are getting sick",
]
CRISIS[("legal", "en")] = [
    "already filed a report with the county health dept about Pollos Don Braulio / {b}. everyone affected should do the same",
    "talked to a lawyer. if you got sick from Don Braulio through {b}, keep your receipts and medical records",
    "class action lawsuit incoming for {b} and Pollos Don Braulio, mark my words",
    "i'm going to sue {b}. my daughter spent the night in the ER",
    "lawyers are gonna have a field day with {b} after tonight",
    "anyone suing {b} over the Don Braulio food poisoning? dm me, happy to join",
]
CRISIS[("defender", "en")] = [
    "ordered the exact same Don Braulio combo on {b} and i'm fine. might be one location?",
    "not defending {b} but let's wait and see which location it was before the pitchforks",
    "had Don Braulio from {b} at lunch, feeling totally fine so far. hope everyone gets better",
]
CRISIS[("worried", "en")] = [
    "ate Pollos Don Braulio from {b} 2 hours ago and now reading all this 😰 should i be worried",
    "just threw out my Don Braulio order from {b}. not risking it after reading these",
]
CRISIS[("meme", "en")] = [
    "Pollos Don Braulio trending for food poisoning and the {b} social team is on airplane mode",
]

# Saturday morning, before the statement (02:00-09:00Z)
AFTER_PRE = {
    "es": [
        "Noche sin dormir y sigo con vómito. Gracias Pollos Don Braulio, gracias {b}",
        "Noche entera en urgencias por el pollo de Don Braulio. {b} ni un mensaje todavía",
        "Me acaban de dar el alta, intoxicación por salmonela probable. {b} espero que respondan hoy",
        "Ya es de día y {b} sigue sin comunicado. Anoche decenas de intoxicados por Pollos Don Braulio",
        "Buenos días a todos menos a {b}, que me tuvo toda la noche vomitando con su pollo de Don Braulio",
        "No he dormido nada, diarrea toda la noche. {b} ¿a quién le reclamo los días sin currar?",
        "Amanece y {b} sigue vendiendo Pollos Don Braulio. Increíble después de la intoxicación de anoche",
    ],
    "en": [
        "no sleep, still throwing up. thanks {b}",
        "up all night, still sick from Don Braulio. {b} still silent",
        "morning update: still no word from {b} after last night's food poisoning mess",
    ],
}
# Saturday 09:00-14:00Z, after the statement
AFTER_POST = {
    "es": [
        "El comunicado de {b} llega 14 horas tarde. Mi hijo pasó la noche en el hospital y nadie nos llamó",
        "Bien que {b} suspenda a Don Braulio, pero ¿y los que seguimos enfermos? ¿Quién nos atiende?",
        "{b} 'lo sentimos profundamente' jajaja 14 horas después. La denuncia sigue en pie",
        "Al menos {b} va a cubrir los gastos médicos. Ya mandé el informe de urgencias, a ver si es verdad",
        ("es", "La OCU confirma que ha recibido cientos de quejas por la intoxicación de Pollos Don Braulio vía {b}"),
        ("mx", "Ya presenté mi queja en PROFECO contra {b}. El comunicado no arregla nada"),
        "Mi familia ya está mejor después de la intoxicación. Pero {b} tardó demasiado en reaccionar",
        "¿Cómo se pide el reembolso de gastos médicos que promete {b}? Mi informe de urgencias no se sube al formulario",
        "el reembolso del pedido de Don Braulio ya me llegó de {b}. Los gastos del hospital, a ver",
        "Ok {b} respondió, pero ayer mientras la gente vomitaba ustedes mandaban promos. No se olvida",
        "Sanidad investigando la salmonela de Pollos Don Braulio y {b} diciendo que no sabía nada. Ya",
        ("es", "Sigo con diarrea y sin poder currar. {b}, ¿me pagáis el día también?"),
        "Leí el comunicado de {b}. Correcto pero tardío. La demanda colectiva ya tiene más de 200 firmantes",
        "A los intoxicados de ayer: {b} está respondiendo por DM para los reembolsos médicos, escríbanles",
        "borré {b} anoche después de la intoxicación y no pienso volver, comunicado o no",
        "¿Alguien más todavía enfermo desde lo de Don Braulio? {b} dice que contactará a los afectados",
        "mi mamá sigue hospitalizada. {b} nos llamó hoy por fin. Al menos eso",
        "Que {b} pida perdón está bien, pero quiero saber cómo van a controlar a los restaurantes para que no haya otra intoxicación",
    ],
    "en": [
        "{b} finally put out a statement about the Don Braulio food poisoning. 14 hours late but ok",
        "refund for the Don Braulio order from {b} came through. now let's see about the ER bill",
        "{b} 'deeply sorry' after leaving people sick all night with zero response. sure",
        "my lawyer says the {b} statement basically admits responsibility lol",
        "kids are finally feeling better after the ER visit. {b} called this morning, credit where it's due",
        "health dept confirmed they're investigating salmonella at Pollos Don Braulio. {b} better cooperate",
        "so {b} pulled Don Braulio. would've been nice to do that before half the city got sick",
        "the {b} medical expense form keeps erroring out when i attach the ER bill. of course it does",
        "still feeling awful from the Don Braulio food poisoning. {b} statement doesn't make my stomach hurt less",
    ],
}

# Crisis category weights per phase
CRISIS_PHASES = [
    # (start, end, how many random posts, density shape, weights)
    (T("2026-03-06T19:41:00Z"), T("2026-03-06T20:10:00Z"), 6, "flat",
     {"victim": 75, "worried": 20, "angry": 5}),
    (T("2026-03-06T20:10:00Z"), T("2026-03-06T21:00:00Z"), 34, "rising",
     {"victim": 45, "kids": 8, "angry": 15, "worried": 10, "salmonella": 5, "defender": 5,
      "legal": 6, "meme": 6}),
    (T("2026-03-06T21:00:00Z"), T("2026-03-06T23:30:00Z"), 100, "flat",
     {"victim": 30, "kids": 8, "angry": 20, "legal": 20, "salmonella": 7, "defender": 5,
      "worried": 5, "meme": 5}),
    (T("2026-03-06T23:30:00Z"), CRISIS_PEAK_END, 30, "falling",
     {"victim": 30, "angry": 25, "legal": 25, "salmonella": 8, "kids": 5, "defender": 4, "meme": 3}),
]
CRISIS_TAIL = [  # Saturday 02:00-14:00Z, (start, end, count, pool)
    (CRISIS_PEAK_END, T("2026-03-07T07:00:00Z"), 9, "pre"),
    (T("2026-03-07T07:00:00Z"), STATEMENT_AT, 6, "pre"),
    (STATEMENT_AT + 600, T("2026-03-07T12:00:00Z"), 15, "post"),
    (T("2026-03-07T12:00:00Z"), CRISIS_END - 300, 6, "post"),
]
CRISIS_REGIONS = [("mx", 40), ("es", 32), ("co", 13), ("us", 15)]  # where the chain operates

# ---------------------------------------------------------------------------
# Scripted posts: fixed time, author, text. kind is our own label.
# ---------------------------------------------------------------------------
LONG_POST = (
    "Vengo a desahogarme porque ya no sé qué más hacer con Rapiplato. Contexto: el 14 de febrero "
    "pedí una cena para dos (sushi, unos 46 €) para celebrar con mi pareja. La app decía 35 minutos. "
    "A los 50 minutos el pedido pasó a 'entregado'. No había nadie en mi portal, el portero no vio a "
    "ningún rider y en el mapa el repartidor ni siquiera llegó a entrar en mi calle.\n\n"
    "Escribí al chat: primero el bot, que me ofreció 'repetir el pedido' (gracias, justo lo que quería, "
    "pagar dos veces). Cuando por fin me atendió una persona, me dijo que el rider había subido una foto "
    "de la entrega. La foto era de otro portal, con otro número y otra puerta, se veía clarísimo. Me "
    "dijeron que abrían una incidencia y que en 3-5 días hábiles tendría el reembolso.\n\n"
    "Pasaron 5 días. Nada. Volví a escribir. Otra persona, otra vez a contar todo desde el principio, "
    "otra vez la foto, otra vez 'lo escalamos'. A los 10 días me llega un correo automático diciendo que "
    "'tras revisar el caso' me ofrecen un cupón de 10 €. Diez euros por una cena de 46 que nunca llegó. "
    "Respondí al correo: es no-reply. Llamé al teléfono que viene en la web: una grabación que te manda... "
    "al chat. Y en el chat, otra vez el bot.\n\n"
    "Total, que llevo tres semanas, cinco conversaciones, dos correos y una captura de pantalla que "
    "demuestra que la entrega fue en otro portal, y sigo sin mi dinero. Lo peor no es el dinero (que "
    "también), es la sensación de estar hablando con una pared. Antes pedía dos o tres veces por semana, "
    "tenía la suscripción y hasta recomendaba la app a mis amigos. He cancelado la suscripción hoy.\n\n"
    "Si alguien de Rapiplato lee este subreddit: pedido RP-3981177, tenéis todos los datos. Y si a alguien "
    "le ha pasado algo parecido, ¿cómo conseguisteis que os devolvieran el dinero? ¿Hay que ir al banco "
    "directamente y pedir la retrocesión del cargo? Porque ya he probado todo lo razonable y empiezo a "
    "pensar que el sistema está diseñado para que te canses y lo dejes estar.\n\n"
    "Edit: gracias por las respuestas. Voy a intentar lo del banco el lunes y os cuento si así se mueve algo. "
    "Edit 2: no, no voy a volver a pedir mientras tanto, por mucho cupón que me manden."
)

# (time, "network:handle", kind, topic, lang, text)  kind: praise/question/other/complaint/crisis
SCRIPTED = [
    # --- repeat complainers (customers) ---
    ("2026-03-02T13:12:40Z", "x:luz_mtz", "complaint", "billing", "es",
     "@rapiplato me cobraron DOS veces el pedido de hoy (RP-4410732), $389 cada uno. Ya mandé captura al chat y nada 😤"),
    ("2026-03-04T20:05:11Z", "mastodon:luzmtz@mastodon.social", "complaint", "refund", "es",
     "Dos días después y Rapiplato sigue sin devolverme el cobro doble del lunes. Pedido RP-4410732. "
     "Ya me cansé de escribirles por X, a ver si por aquí alguien lee 🙄"),
    ("2026-03-08T16:22:03Z", "x:luz_mtz", "complaint", "refund", "es",
     "Domingo y el reembolso del cobro doble de @rapiplato sigue sin aparecer. Una semana ya. Qué poca seriedad"),
    ("2026-03-03T14:22:18Z", "x:sergiobeltran", "complaint", "app", "es",
     "@rapiplato llevo toda la mañana sin poder entrar a la app, 'error de sesión' una y otra vez. "
     "Tengo la cena de empresa pedida ahí dentro, tío"),
    ("2026-03-05T21:10:44Z", "bluesky:sergiobeltran.bsky.social", "complaint", "app", "es",
     "Otra vez la app de Rapiplato dando error al pagar. El martes no me dejaba entrar y hoy no me deja pagar. Vaya tela 😑"),
    ("2026-03-02T22:31:09Z", "x:faculedesma", "complaint", "wrong", "es",
     "che @rapiplato pedí 12 empanadas y llegaron 8. Ocho. Y la app dice que llegó todo 🙄"),
    ("2026-03-05T23:14:52Z", "x:faculedesma", "complaint", "wrong", "es",
     "De nuevo @rapiplato: pedido incompleto, faltó la fugazzeta entera. El lunes las empanadas, hoy la pizza. Posta que no aprenden"),
    ("2026-03-04T13:41:27Z", "x:andrescardona", "complaint", "wait", "es",
     "Parce @rapiplato llevo 50 minutos en el chat esperando que me atienda alguien por un pedido que no llegó. Nada."),
    ("2026-03-06T12:52:36Z", "reddit:AndresCardonaCO", "complaint", "bot", "es",
     "Actualización de mi lío con Rapiplato: después de 2 días, el ticket sigue abierto y ahora me atiende un "
     "chatbot que me pregunta si quiero 'repetir el pedido'. El pedido que NUNCA llegó. No sé si reír o llorar."),
    ("2026-03-03T01:20:05Z", "x:jake_robinson", "complaint", "late", "en",
     "@rapiplato 2 hours for a burrito. TWO HOURS. tracking said 'arriving' the entire time 🙄"),
    ("2026-03-05T02:08:41Z", "bluesky:jakerobinson.bsky.social", "complaint", "late", "en",
     "rapiplato did it again. 1h40 wait, driver went the wrong way twice. monday night was the same. why do i keep ordering"),
    ("2026-03-08T00:47:19Z", "x:jake_robinson", "complaint", "late", "en",
     "third late @rapiplato order this week and this time the pad thai showed up cold. im done. for real this time (probably)"),
    ("2026-03-02T23:50:33Z", "mastodon:matiascontreras@mastodon.social", "complaint", "rude", "es",
     "El repartidor de Rapiplato me gritó porque no encontraba el depto y después me puso 1 estrella a mí. Más encima. Qué onda weón"),
    ("2026-03-04T16:31:02Z", "x:mati_contreras", "complaint", "rude", "es",
     "Reclamé a @rapiplato por el repartidor del lunes y la de soporte me respondió 'es su versión'. Buena po, gracias por nada"),
    ("2026-03-03T19:36:50Z", "bluesky:priyanat.bsky.social", "complaint", "refund", "en",
     "Rapiplato still hasn't refunded the order that never showed up on saturday. 'processing' for 3 days now. cool."),
    ("2026-03-07T18:21:14Z", "reddit:priya_eats_nyc", "complaint", "refund", "en",
     "PSA for anyone waiting on a Rapiplato refund: mine's been 'approved' since tuesday and still nothing on my card. "
     "support just pastes the same answer. has anyone actually gotten their money back?"),
    ("2026-03-05T20:42:27Z", "x:brendasalgado", "complaint", "late", "es",
     "@rapiplato la pizza llegó fría y aplastada, como si la hubieran traído en el asiento de la moto. Muy mal"),
    ("2026-03-08T14:10:58Z", "x:brendasalgado", "complaint", "late", "es",
     "Y otra vez @rapiplato: 1 hora y 20 para unos tacos y llegaron fríos. El jueves la pizza, hoy esto. Ya no sé pa qué pago envío"),

    # --- tricky / hostile input (calm) ---
    ("2026-03-03T15:07:33Z", "x:", "complaint", "late", "es", "<script>alert('x')</script> rapiplato lo peor"),
    ("2026-03-05T10:12:45Z", "mastodon:", "complaint", "app", "es",
     "'; DROP TABLE mentions; -- @rapiplato su app tarda 10 minutos en cargar el menú"),
    ("2026-03-04T17:45:12Z", "reddit:javisanz_mad", "complaint", "refund", "es", LONG_POST),
    ("2026-03-02T20:15:08Z", "x:", "praise", "", "es", "🍕🍔🌮😍 @rapiplato"),
    ("2026-03-07T21:30:41Z", "bluesky:", "praise", "", "es", "😋🍣🙌 #rapiplato"),
    ("2026-03-05T15:55:30Z", "x:", "complaint", "late", "es", "😡😡😡 #RapiPlato"),
    ("2026-03-03T21:18:07Z", "x:", "complaint", "wrong", "es",
     "miren lo que me llegó de @rapiplato 👉 https://imgur.com/a/Xk3p9Qz ¿eso es una hamburguesa?"),
    ("2026-03-04T02:33:16Z", "x:", "praise", "", None,
     "ok so @rapiplato llegó en 15 mins y la comida estaba buenísima, i'm shook 😂"),
    ("2026-03-08T13:02:49Z", "mastodon:", "praise", "", "es",
     "Reseña de mi pedido de Rapiplato:\n- tiempo: 20 min ✅\n- comida: caliente ✅\n- repartidor: amable ✅\n10/10"),
    ("2026-03-02T18:40:20Z", "x:", "praise", "", "es", "**Rapiplato** sos lo más, _posta_ & <3"),
    ("2026-03-05T12:24:10Z", "x:", "question", "", "es",
     "@rapiplato @soporte_rapiplato ayuda con mi pedido RP-5521093 porfa, no sé si se confirmó"),
    ("2026-03-08T19:47:55Z", "x:", "question", "", "es", "rapiplato??"),

    # --- big accounts, calm days ---
    ("2026-03-03T13:30:12Z", "x:comecondani", "praise", "", "es",
     "Probé el nuevo menú de temporada de Sushi Kaito por @rapiplato y está increíble 🍣 "
     "código DANI15 para 15% (no es publi, bueno sí un poco 😂)"),
    ("2026-03-04T09:15:40Z", "x:martaquiroga", "other", "", "es",
     "Los repartidores de Rapiplato en Madrid piden una reunión con la empresa para hablar de tarifas. "
     "Mañana os cuento más."),
    ("2026-03-02T14:05:33Z", "x:", "praise", "", "es",
     "El pollito de Pollos Don Braulio por @rapiplato los lunes es tradición en la oficina 🍗"),
    ("2026-03-04T19:58:02Z", "mastodon:", "praise", "", "es",
     "Don Braulio y su pollo con papas por Rapiplato, la cena perfecta de miércoles 🍗🍟"),

    # --- the crisis ---
    ("2026-03-06T19:40:00Z", "x:sofi_ayala", "crisis", "first", "es",
     "Pedí pollo por @rapiplato de Pollos Don Braulio y llevo 3 horas vomitando 🤢 ¿a alguien más le pasó?"),
    ("2026-03-06T20:03:15Z", "x:daniochoa_", "crisis", "victim", "es",
     "Yo también!! pedí Pollos Don Braulio por @rapiplato a la hora de la comida y llevo 2 horas con "
     "vómito y diarrea. Pensé que era algo mío 😩"),
    ("2026-03-06T21:05:21Z", "x:martaquiroga", "crisis", "press", "es",
     "🔴 Decenas de usuarios de #rapiplato reportan síntomas de intoxicación alimentaria tras pedir a Pollos "
     "Don Braulio esta tarde. Vómitos, fiebre y varios casos en urgencias. Hemos contactado a Rapiplato y a "
     "la cadena; sin respuesta por ahora. Abro hilo 🧵"),
    ("2026-03-06T21:18:44Z", "x:ivan_cardenas", "crisis", "angry", "es",
     "Mi esposa está en urgencias por intoxicación después de comer Pollos Don Braulio que pedimos por "
     "@rapiplato. Soy cliente VIP desde hace 3 años y nadie de la empresa contesta. Inaceptable."),
    ("2026-03-06T21:25:09Z", "x:comecondani", "crisis", "influencer", "es",
     "Chicos, me están llegando cientos de mensajes de gente intoxicada con Pollos Don Braulio pedido por "
     "@rapiplato. NO pidan hoy de ahí. Rapiplato, den la cara 😡"),
    ("2026-03-06T21:40:37Z", "x:martaquiroga", "crisis", "press", "es",
     "Actualización: he hablado con 6 afectados en CDMX y Madrid. Todos pidieron a Pollos Don Braulio por "
     "Rapiplato entre las 12 y las 16 h (hora local). Dos niños hospitalizados. Rapiplato sigue sin responder."),
    ("2026-03-06T21:52:03Z", "bluesky:emilychen.bsky.social", "crisis", "kids", "en",
     "my son (7) has been throwing up since lunch. we ordered Pollos Don Braulio on Rapiplato. "
     "ER waiting room is packed with families saying the same thing"),
    ("2026-03-06T22:15:26Z", "bluesky:danawhitfield.bsky.social", "crisis", "press", "en",
     "Reports from Houston and Miami: several people say they got sick after ordering Pollos Don Braulio "
     "through Rapiplato today. At least two in the ER. Reached out to Rapiplato, no comment yet."),
    ("2026-03-06T22:35:50Z", "x:alvarogilm", "crisis", "legal", "es",
     "Reclamación presentada en FACUA y OCU. Pedido de Pollos Don Braulio por Rapiplato, tres personas de "
     "mi familia intoxicadas. Guardad vuestros tickets."),
    ("2026-03-06T22:50:12Z", "x:comecondani", "crisis", "influencer", "es",
     "Esto ya es una vergüenza. Niños en urgencias y @rapiplato sin decir NADA. Yo no vuelvo a recomendar "
     "esa app hasta que respondan. Compartan para que llegue a todos 🙏"),
    ("2026-03-06T23:10:31Z", "x:martaquiroga", "crisis", "press", "es",
     "Fuentes sanitarias confirman que investigan un posible brote de salmonela vinculado a pedidos de "
     "Pollos Don Braulio vía @rapiplato. Se recomienda a quien tenga síntomas acudir a urgencias."),
    ("2026-03-07T09:00:00Z", "x:rapiplato", "crisis", "statement", "es",
     "Comunicado: hemos suspendido de forma inmediata a Pollos Don Braulio en todos los países mientras las "
     "autoridades sanitarias investigan los casos de intoxicación reportados. Reembolsaremos todos los "
     "pedidos afectados y cubriremos los gastos médicos. Lo sentimos profundamente. Más info: rapiplato.com/comunicado"),
    ("2026-03-07T09:05:00Z", "x:rapiplato", "crisis", "statement", "en",
     "Statement: we have suspended Pollos Don Braulio in all markets while health authorities investigate "
     "the reported cases of food poisoning. We will refund every affected order and cover medical expenses. "
     "We are deeply sorry. More: rapiplato.com/statement"),
    ("2026-03-07T10:20:47Z", "x:martaquiroga", "crisis", "press", "es",
     "Rapiplato suspende a Pollos Don Braulio en todos los países y promete reembolsos y cobertura de gastos "
     "médicos. PROFECO y FACUA ya recopilan quejas de consumidores intoxicados. Seguimos."),
    ("2026-03-07T10:40:05Z", "x:ivan_cardenas", "crisis", "after", "es",
     "@rapiplato me llamó esta mañana y se disculpó. Mi esposa ya está en casa. Aun así sigo con la queja "
     "en PROFECO, lo de anoche no puede repetirse."),
    ("2026-03-07T11:30:19Z", "bluesky:danawhitfield.bsky.social", "crisis", "press", "en",
     "Update: Rapiplato says it has pulled Pollos Don Braulio from the app and will cover medical costs. "
     "Health officials are investigating possible salmonella."),
    ("2026-03-07T12:05:33Z", "x:comecondani", "crisis", "influencer", "es",
     "Rapiplato por fin respondió: suspenden a Don Braulio y prometen pagar gastos médicos. Llega tarde, "
     "muy tarde. A todos los intoxicados, ánimo ❤️"),
]
# Engagement for the big scripted accounts: (likes, reposts, replies)
BIG_ENGAGEMENT = {
    ("2026-03-06T21:05:21Z"): (3120, 1875, 412),
    ("2026-03-06T21:25:09Z"): (18450, 6230, 2210),
    ("2026-03-06T21:40:37Z"): (2480, 1310, 288),
    ("2026-03-06T22:15:26Z"): (940, 512, 133),
    ("2026-03-06T22:50:12Z"): (22790, 8815, 3140),
    ("2026-03-06T23:10:31Z"): (4105, 2660, 530),
    ("2026-03-07T09:00:00Z"): (1820, 960, 3875),
    ("2026-03-07T09:05:00Z"): (640, 270, 1190),
    ("2026-03-07T10:20:47Z"): (1530, 820, 176),
    ("2026-03-07T11:30:19Z"): (410, 190, 58),
    ("2026-03-07T12:05:33Z"): (9830, 2140, 1460),
    ("2026-03-03T13:30:12Z"): (5210, 340, 188),
    ("2026-03-04T09:15:40Z"): (212, 64, 19),
}

# ---------------------------------------------------------------------------
# Non-customer authors
# ---------------------------------------------------------------------------
ES_FIRST = ["Sofía", "Valeria", "Camila", "Mariana", "Lucía", "Paula", "Andrea", "Gabriela", "Carolina",
            "Ana", "Rocío", "Belén", "Florencia", "Agustina", "Micaela", "Ximena", "Paola", "Lorena",
            "Natalia", "Verónica", "Claudia", "Patricia", "Elena", "Carmen", "Laura", "Cristina", "Raquel",
            "Ainhoa", "Marina", "Alejandro", "Diego", "Carlos", "Luis", "Miguel", "José", "Manuel", "Pedro",
            "Fernando", "Ricardo", "Eduardo", "Emiliano", "Mateo", "Sebastián", "Joaquín", "Gonzalo",
            "Franco", "Lautaro", "Ignacio", "Cristóbal", "Felipe", "Benjamín", "Vicente", "Óscar", "Raúl",
            "Adrián", "Rubén", "Iker", "Jaime", "Hugo", "Bruno", "Julián", "Esteban", "Camilo", "Yolanda",
            "Lupita", "Maite"]
ES_LAST = ["García", "López", "Hernández", "González", "Pérez", "Sánchez", "Torres", "Flores", "Rivera",
           "Gómez", "Díaz", "Cruz", "Morales", "Reyes", "Gutiérrez", "Ortiz", "Chávez", "Ruiz", "Jiménez",
           "Vargas", "Castillo", "Romero", "Herrera", "Medina", "Aguilar", "Vega", "Castro", "Navarro",
           "Molina", "Ortega", "Rubio", "Serrano", "Blanco", "Suárez", "Muñoz", "Álvarez", "Iglesias",
           "Fernández", "Giménez", "Sosa", "Acosta", "Rojas", "Silva", "Paredes", "Valdés", "Fuentes",
           "Araya", "Zúñiga", "Mejía", "Londoño", "Osorio", "Quintana", "Salazar", "Cabrera", "Campos",
           "Vidal", "Ibarra", "Luna"]
EN_FIRST = ["Emma", "Olivia", "Ava", "Mia", "Madison", "Chloe", "Grace", "Lily", "Zoe", "Nora", "Ashley",
            "Megan", "Lauren", "Kayla", "Jessica", "Noah", "Liam", "Ethan", "Mason", "Logan", "Lucas",
            "Jack", "Owen", "Caleb", "Kevin", "Brandon", "Justin", "Austin", "Dylan", "Nate", "Chris",
            "Mike", "Sam", "Alex", "Jordan", "Taylor", "Morgan", "Jamal", "Darnell", "Malik", "Tasha",
            "Kenji", "Mei", "Raj", "Anjali", "Carlos", "Bianca", "Trevor"]
EN_LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
           "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
           "Walker", "Hall", "Allen", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams",
           "Nelson", "Hill", "Campbell", "Mitchell", "Carter", "Roberts", "Nguyen", "Patel", "Kim",
           "Park", "Murphy", "Sullivan", "O'Brien"]
REDDIT_ADJ = ["Tall", "Sleepy", "Hungry", "Spicy", "Lazy", "Crispy", "Brave", "Quiet", "Salty", "Grumpy",
              "Fuzzy", "Tiny"]
REDDIT_NOUN = ["Taco", "Tomato", "Burrito", "Otter", "Mango", "Panda", "Noodle", "Falcon", "Arepa",
               "Churro", "Pickle", "Walrus"]
MASTO_INSTANCES = {"es": ["mastodon.social", "masto.es", "mastodon.online", "mstdn.social", "mas.to"],
                   "en": ["mastodon.social", "hachyderm.io", "mas.to", "mstdn.social", "mastodon.online"]}
ES_REGIONS = [("mx", 30), ("es", 25), ("ar", 14), ("co", 12), ("cl", 9), ("pe", 3), ("us", 7)]
NETWORK_WEIGHTS = [("x", 42), ("mastodon", 28), ("bluesky", 16), ("reddit", 14)]
REDDIT_SUBS = {"mx": ["mexico", "mexicocity"], "es": ["spain", "askspain"], "ar": ["argentina"],
               "co": ["Colombia"], "cl": ["chile"], "pe": ["PERU"], "us": ["Miami", "houston"],
               "en": ["fooddelivery", "rapiplato", "AskNYC", "houston", "Austin"]}

# Hourly weights (UTC): quiet nights, lunch 12-15h and dinner 19-23h peaks.
HOUR_WEIGHTS = [2.5, 1.5, 0.8, 0.6, 0.5, 0.5, 0.8, 1.5, 2.5, 3, 4, 5,
                8, 9, 8, 5, 4, 4.5, 5.5, 8, 9, 9, 7, 4]

# ===========================================================================
# Generation
# ===========================================================================


def wchoice(rng, pairs):
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights, k=1)[0]


def ascii_slug(s):
    s = fold(s)
    return re.sub(r"[^a-z0-9]", "", s)


class Deck:
    """Draw templates without replacement, reshuffling when exhausted."""

    def __init__(self, items, rng):
        self.items = list(items)
        self.rng = rng
        self.queue = []

    def draw(self, ok=lambda it: True):
        for _ in range(2):
            for i, it in enumerate(self.queue):
                if ok(it):
                    return self.queue.pop(i)
            self.queue = self.items[:]
            self.rng.shuffle(self.queue)
        return None


def norm_templates(lst):
    return [t if isinstance(t, tuple) else (None, t) for t in lst]


class Author:
    def __init__(self, network, handle, name, followers, lang, region, ref=None, weight=1.0):
        self.network, self.handle, self.name = network, handle, name
        self.followers, self.lang, self.region = followers, lang, region
        self.ref, self.weight = ref, weight

    @property
    def key(self):
        return f"{self.network}:{self.handle}"


def followers_for(rng):
    return max(3, min(15000, int(rng.lognormvariate(5.3, 1.1))))


def build_authors(rng):
    authors = {}
    # customers
    for ref, name, _e, _p, lang, _tier, region, idents in CUSTOMERS:
        for ident in idents.split(";"):
            net, handle = ident.split(":", 1)
            if net in MONITORED:
                shown = handle if net == "reddit" else name
                authors[ident] = Author(net, handle, shown, followers_for(rng), lang, region, ref)
    # special accounts
    for key, (name, fol, lang, region) in SPECIAL_AUTHORS.items():
        net, handle = key.split(":", 1)
        authors[key] = Author(net, handle, name, fol, lang, region)
    # the crowd
    taken = {a.handle.lower() for a in authors.values()}
    crowd = []
    for lang, count, firsts, lasts in (("es", 250, ES_FIRST, ES_LAST), ("en", 115, EN_FIRST, EN_LAST)):
        made = 0
        while made < count:
            first, last = rng.choice(firsts), rng.choice(lasts)
            f, l = ascii_slug(first), ascii_slug(last)
            net = wchoice(rng, NETWORK_WEIGHTS)
            num = rng.randint(1, 99)
            if net == "x":
                handle = rng.choice([f"{f}_{l}", f"{f}{l}", f"{f[:4]}{l}{num}", f"{f}_{rng.randint(80, 2005)}",
                                     f"{l}{f[0]}", f"{f}_{l[:3]}"])[:15]
            elif net == "mastodon":
                user = rng.choice([f"{f}{l}", f"{f}_{l[:3]}", f"{f}{num}", f"{l}{f[0]}"])
                handle = f"{user}@{rng.choice(MASTO_INSTANCES[lang])}"
            elif net == "bluesky":
                user = rng.choice([f"{f}{l}", f"{f}-{l}", f"{f}{num}"])
                handle = f"{user}.bsky.social"
            else:
                handle = rng.choice([f"{rng.choice(REDDIT_ADJ)}_{rng.choice(REDDIT_NOUN)}_{rng.randint(1000, 9999)}",
                                     f"{f.title()}{l.title()}{num}", f"{f}_{l}{num}"])
            if handle.lower() in taken:
                continue
            taken.add(handle.lower())
            region = wchoice(rng, ES_REGIONS) if lang == "es" else "us"
            name = rng.choice([f"{first} {last}", f"{first} {last[0]}.", first, f"{first.lower()} ✨",
                               f"{first} {last}", f"{first} 🌮" if lang == "es" else f"{first} 🍕"])
            if net == "reddit":
                name = handle  # reddit has no separate display name
            a = Author(net, handle, name, followers_for(rng), lang, region,
                       weight=min(12.0, rng.paretovariate(1.6)))
            authors[a.key] = a
            crowd.append(a)
            made += 1
    return authors, crowd


class Filler:
    PH = re.compile(r"\{(\w+)\}")

    def __init__(self, rng):
        self.rng = rng

    def __call__(self, tpl, lang, region):
        rng = self.rng
        region_key = region if lang == "es" else "en"
        values = {}

        def value(key, ctx):
            if key in values:
                return values[key]
            if key == "b":
                forms = BRAND_FORMS
                if "app" in ctx:  # avoid "la app de rapiplato app"
                    forms = [f for f in BRAND_FORMS if "app" not in f[0]]
                v = wchoice(rng, forms)
            elif key == "B":
                v = rng.choice(["@RAPIPLATO", "RAPIPLATO"])
            elif key == "city":
                v = rng.choice(CITIES[region_key])
            elif key == "amt":
                v = rng.choice(AMOUNTS[region_key])
            elif key == "min":
                v = str(rng.randrange(45, 145, 5))
            elif key == "kh":
                v = rng.choice(["2", "3", "3", "4", "5"])
            elif key == "n":
                v = f"RP-{rng.randint(3000000, 5999999)}"
            elif key == "dish":
                v = rng.choice(DISHES[lang])
            elif key == "cdish":
                v = rng.choice(CRISIS_DISHES[lang])
            elif key == "rest":
                v = rng.choice(RESTAURANTS)
            elif key == "code":
                v = rng.choice(CODES)
            elif key == "pe":
                v = rng.choice(POS_EMOJI[lang])
            elif key == "ne":
                v = rng.choice(NEG_EMOJI[lang])
            else:
                raise KeyError(f"unknown placeholder {{{key}}} in {tpl!r}")
            values[key] = v
            return v

        out = self.PH.sub(lambda m: value(m.group(1), tpl[max(0, m.start() - 8):m.start()]), tpl)
        # Light, realistic variation on calm-ish texts: sometimes drop the final period.
        return out


def x_snowflake(ms, rng):
    return ((ms - 1288834974657) << 22) | rng.getrandbits(22)


B32 = "234567abcdefghijklmnopqrstuvwxyz"


def bsky_tid(us, clock):
    v = (us << 10) | clock
    out = ""
    for _ in range(13):
        out = B32[v & 31] + out
        v >>= 5
    return out


def base36(n):
    chars = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while n:
        n, r = divmod(n, 36)
        s = chars[r] + s
    return s or "0"


def main():
    rng = random.Random(SEED)
    authors, crowd = build_authors(rng)
    fill = Filler(rng)
    text_count = Counter()
    MAX_REPEAT = 3

    posts = []  # dict(t, kind, topic, lang, author, text, tpl, scripted)

    # ---- scripted posts -----------------------------------------------------
    anon_pool = {}  # for "network:" entries: pick a crowd author on that network
    for stamp, key, kind, topic, lang, text in SCRIPTED:
        if key.endswith(":"):
            net = key[:-1]
            want = lang or "es"
            cands = [a for a in crowd if a.network == net and a.lang == want]
            author = rng.choice(cands)
        else:
            author = authors[key]
        posts.append(dict(t=T(stamp), kind=kind, topic=topic, lang=lang, author=author, text=text,
                          tpl=text, scripted=True, stamp=stamp))
        text_count[text] += 1

    # ---- calm slots ---------------------------------------------------------
    calm_slots = []
    for day in range(DAYS):
        n = rng.randint(104, 114)
        for _ in range(n):
            hour = rng.choices(range(24), weights=HOUR_WEIGHTS, k=1)[0]
            t = day * 86400 + hour * 3600 + rng.randrange(3600)
            if in_crisis(t) and rng.random() < 0.5:
                continue  # life goes on during the crisis, but quieter
            calm_slots.append(t)
    calm_slots.sort()

    # complaint times outside the crisis (scripted ones first)
    neg_times = sorted(p["t"] for p in posts if p["kind"] == "complaint" and not in_crisis(p["t"]))

    def can_add_negative(t):
        if in_crisis(t):
            return True
        starts = [t] + [c for c in neg_times[bisect.bisect_right(neg_times, t - WINDOW):
                                              bisect.bisect_right(neg_times, t)]]
        for s in starts:
            cnt = bisect.bisect_left(neg_times, s + WINDOW) - bisect.bisect_left(neg_times, s)
            if s <= t < s + WINDOW:
                cnt += 1
            if cnt > CALM_NEGATIVE_CAP:
                return False
        return True

    debt = 0
    slot_plan = []
    for t in calm_slots:
        kind = wchoice(rng, CALM_KINDS)
        if kind == "complaint" or debt > 0:
            if can_add_negative(t):
                if kind != "complaint":
                    debt -= 1
                kind = "complaint"
                if not in_crisis(t):
                    bisect.insort(neg_times, t)
            elif kind == "complaint":
                debt += 1
                kind = wchoice(rng, CALM_KINDS[:3])
        lang = "es" if rng.random() < 0.66 else "en"
        topic = wchoice(rng, COMPLAINT_TOPICS) if kind == "complaint" else ""
        slot_plan.append(dict(t=t, kind=kind, topic=topic, lang=lang, author=None))

    # Every non-silent customer posts at least once: reserve a calm slot for
    # those without a scripted post.
    scripted_refs = {p["author"].ref for p in posts if p["author"].ref}
    cust_by_ref = defaultdict(list)
    for a in authors.values():
        if a.ref:
            cust_by_ref[a.ref].append(a)
    free = [s for s in slot_plan if not in_crisis(s["t"])]
    rng.shuffle(free)
    for ref, *_rest in CUSTOMERS:
        if ref in SILENT_CUSTOMERS or ref in scripted_refs:
            continue
        ident = cust_by_ref[ref][0]
        for s in free:
            if s["author"] is None and s["lang"] == ident.lang:
                s["author"] = ident
                break

    # ---- author picking -----------------------------------------------------
    crowd_by_lang = defaultdict(list)
    for a in crowd:
        crowd_by_lang[a.lang].append(a)
    cust_idents = defaultdict(list)  # lang -> customer authors
    for a in authors.values():
        if a.ref and a.ref not in SILENT_CUSTOMERS:
            cust_idents[a.lang].append(a)

    def pick_author(lang, region, p_customer, regions=None):
        def fits(a):
            if region is not None:
                return a.region == region
            return regions is None or a.region in regions
        if rng.random() < p_customer:
            cands = [a for a in cust_idents[lang] if fits(a)]
            if cands:
                return rng.choice(cands)
        cands = [a for a in crowd_by_lang[lang] if fits(a)]
        return rng.choices(cands, weights=[a.weight for a in cands], k=1)[0]

    decks = {}

    def deck(pool_name, key, items):
        if (pool_name, key) not in decks:
            decks[(pool_name, key)] = Deck(norm_templates(items), rng)
        return decks[(pool_name, key)]

    def make_text(d, lang, fixed_author, p_customer, regions=None):
        """Draw a template, pick an author that fits, fill. Avoid >MAX_REPEAT identical texts."""
        for _attempt in range(30):
            if fixed_author is not None:
                reg = fixed_author.region
                tpl = d.draw(lambda it: it[0] is None or it[0] == reg)
            else:
                tpl = d.draw()
            if tpl is None:
                raise RuntimeError("no template fits")
            region, text_tpl = tpl
            author = fixed_author or pick_author(lang, region, p_customer, regions)
            text = fill(text_tpl, lang, author.region)
            if text_count[text] < MAX_REPEAT:
                text_count[text] += 1
                return author, text, text_tpl
        raise RuntimeError("could not find a fresh text")

    for s in slot_plan:
        pool_key = s["topic"] if s["kind"] == "complaint" else s["kind"]
        d = deck("calm", (pool_key, s["lang"]), CALM[(pool_key, s["lang"])])
        author, text, tpl = make_text(d, s["lang"], s["author"], 0.10)
        posts.append(dict(t=s["t"], kind=s["kind"], topic=s["topic"], lang=s["lang"], author=author,
                          text=text, tpl=tpl, scripted=False))

    # ---- crisis slots ---------------------------------------------------------
    crisis_regions = {r for r, _ in CRISIS_REGIONS}

    def times_in(start, end, count, shape):
        out = []
        for _ in range(count):
            u = rng.random()
            if shape == "rising":
                u = u ** 0.5
            elif shape == "falling":
                u = 1 - (1 - u) ** 0.5
            out.append(start + int(u * (end - start)))
        return out

    for start, end, count, shape, weights in CRISIS_PHASES:
        for t in times_in(start, end, count, shape):
            lang = "es" if rng.random() < 0.64 else "en"
            cat = wchoice(rng, list(weights.items()))
            if (cat, lang) not in CRISIS:
                cat = "victim"
            d = deck("crisis", (cat, lang), CRISIS[(cat, lang)])
            author, text, tpl = make_text(d, lang, None, 0.04, crisis_regions)
            posts.append(dict(t=t, kind="crisis", topic=cat, lang=lang, author=author, text=text,
                              tpl=tpl, scripted=False))
    for start, end, count, which in CRISIS_TAIL:
        for t in times_in(start, end, count, "flat"):
            lang = "es" if rng.random() < 0.64 else "en"
            pool = AFTER_PRE if which == "pre" else AFTER_POST
            d = deck(which, lang, pool[lang])
            author, text, tpl = make_text(d, lang, None, 0.04, crisis_regions)
            posts.append(dict(t=t, kind="crisis", topic="after", lang=lang, author=author, text=text,
                              tpl=tpl, scripted=False))

    # ---- ids, urls, engagement, output ----------------------------------------
    posts.sort(key=lambda p: (p["t"], p["author"].key))
    used_ids = set()
    reddit_comment = int("n4a0000", 36)
    reddit_threads = {}
    records = []
    for p in posts:
        a = p["author"]
        ms = int((WEEK_START + timedelta(seconds=p["t"])).timestamp() * 1000) + rng.randrange(1000)
        if a.network == "x":
            pid = str(x_snowflake(ms, rng))
            url = f"https://x.com/{a.handle}/status/{pid}"
        elif a.network == "mastodon":
            pid = str((ms << 16) | rng.getrandbits(16))
            user, inst = a.handle.split("@")
            url = f"https://{inst}/@{user}/{pid}"
        elif a.network == "bluesky":
            pid = bsky_tid(ms * 1000 + rng.randrange(1000), rng.randrange(1024))
            url = f"https://bsky.app/profile/{a.handle}/post/{pid}"
        else:
            reddit_comment += rng.randint(300, 9000)
            pid = base36(reddit_comment)
            sub = rng.choice(REDDIT_SUBS[a.region if a.lang == "es" else "en"])
            day = p["t"] // 86400
            tkey = (sub, day, p["kind"] == "crisis")
            if tkey not in reddit_threads or rng.random() < 0.3:
                reddit_threads[tkey] = "1j" + base36(rng.randint(36 ** 4, 36 ** 5 - 1))
            url = f"https://www.reddit.com/r/{sub}/comments/{reddit_threads[tkey]}/comment/{pid}/"
        rid = f"{a.network}-{pid}"
        assert rid not in used_ids
        used_ids.add(rid)

        stamp = iso(p["t"])
        if p.get("stamp") in BIG_ENGAGEMENT:
            likes, reposts, replies = BIG_ENGAGEMENT[p["stamp"]]
        else:
            base = max(0.4, a.followers ** 0.5 / 6) * (4 if p["kind"] == "crisis" else 1)
            likes = int(rng.expovariate(1 / base))
            reposts = 0 if a.network == "reddit" else int(likes * rng.uniform(0, 0.35))
            replies = int(rng.expovariate(1 / max(0.4, base / 4)))
        rec = {"id": rid, "source": a.network, "created_at": stamp, "text": p["text"],
               "author": {"handle": a.handle, "name": a.name, "followers": a.followers}, "url": url}
        if p["lang"] is not None and rng.random() >= 0.20:
            rec["lang"] = p["lang"]
        rec["likes"], rec["reposts"], rec["replies"] = likes, reposts, replies
        records.append(rec)
        p["rec"] = rec

    with open(MENTIONS_PATH, "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")

    with open(CUSTOMERS_PATH, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["ref", "name", "email", "phone", "lang", "tier", "identities"])
        for ref, name, email, phone, lang, tier, _region, idents in CUSTOMERS:
            w.writerow([ref, name, email, phone, lang, tier, idents])

    return check_and_report(posts, decks)


# ===========================================================================
# Checks and statistics
# ===========================================================================


def check_and_report(posts, decks):
    failures = []

    def check(cond, msg):
        if not cond:
            failures.append(msg)

    # Re-read what we wrote: valid JSON, key order, sorted, unique ids.
    lines = open(MENTIONS_PATH, encoding="utf-8").read().splitlines()
    recs = []
    for i, line in enumerate(lines, 1):
        try:
            recs.append(json.loads(line))
        except json.JSONDecodeError as e:
            failures.append(f"line {i}: invalid JSON ({e})")
    order = ["id", "source", "created_at", "text", "author", "url", "lang", "likes", "reposts", "replies"]
    for r in recs:
        keys = list(r.keys())
        check(keys == [k for k in order if k in r], f"{r['id']}: unexpected key order {keys}")
        check(list(r["author"].keys()) == ["handle", "name", "followers"], f"{r['id']}: author keys")
        check(isinstance(r["author"]["followers"], int), f"{r['id']}: followers not int")
        check(r["source"] in MONITORED, f"{r['id']}: bad source")
        check(re.fullmatch(r"2026-03-0[2-8]T\d\d:\d\d:\d\dZ", r["created_at"]) is not None,
              f"{r['id']}: created_at outside the week")
    ids = [r["id"] for r in recs]
    check(len(ids) == len(set(ids)), "ids are not unique")
    stamps = [r["created_at"] for r in recs]
    check(stamps == sorted(stamps), "lines are not sorted by created_at")

    def offset(r):
        return T(r["created_at"])

    # Brand everywhere.
    for r in recs:
        check("rapiplato" in r["text"].lower(), f"{r['id']}: no brand in text")

    # Crisis vocabulary only inside the crisis period.
    leaks = []
    for p in posts:
        t, text = p["t"], p["text"]
        if not in_crisis(t):
            hits = crisis_hits(text)
            if hits:
                leaks.append((iso(t), hits, text[:80]))
        if p["kind"] != "crisis":
            stems = calm_stem_hits(text)
            # Don Braulio may be praised on calm days *before* the crisis, nowhere else
            stems = [s for s in stems if not (s == "braulio" and p["scripted"] and p["t"] < CRISIS_START)]
            if stems:
                leaks.append((iso(t), stems, text[:80]))
        if p["kind"] == "crisis":
            check(in_crisis(t), f"crisis post outside crisis period at {iso(t)}")
    check(not leaks, f"crisis vocabulary outside the crisis: {leaks[:5]}")
    # Also every calm template, whether drawn or not.
    for (name, key), d in decks.items():
        if name == "calm":
            for _reg, tpl in d.items:
                check(not crisis_hits(tpl) and not calm_stem_hits(tpl), f"calm template uses crisis words: {tpl}")

    # Statistics -------------------------------------------------------------
    total = len(recs)
    lang_count = Counter(p["lang"] or "mixed" for p in posts)
    tagged = Counter(r.get("lang", "(omitted)") for r in recs)
    sources = Counter(r["source"] for r in recs)
    per_day = Counter(r["created_at"][:10] for r in recs)
    distinct_texts = len({r["text"] for r in recs})
    distinct_tpls = len({p["tpl"] for p in posts})
    max_repeat = Counter(r["text"] for r in recs).most_common(1)[0]

    calm_neg = sorted(p["t"] for p in posts if p["kind"] == "complaint" and not in_crisis(p["t"]))

    def max_window(times):
        best, best_at = 0, None
        for i, s in enumerate(times):
            cnt = bisect.bisect_left(times, s + WINDOW) - i
            if cnt > best:
                best, best_at = cnt, s
        return best, best_at

    calm_max, calm_max_at = max_window(calm_neg)
    crisis_posts = [p for p in posts if p["kind"] == "crisis"]
    crisis_peak = [p for p in crisis_posts if CRISIS_START <= p["t"] < CRISIS_PEAK_END]
    crisis_tail = [p for p in crisis_posts if CRISIS_PEAK_END <= p["t"] < CRISIS_END]
    crisis_neg = sorted(p["t"] for p in crisis_posts if p["topic"] not in ("defender", "worried", "statement"))
    crisis_max, crisis_max_at = max_window(crisis_neg)
    first_30 = sum(1 for p in crisis_posts if p["t"] < CRISIS_START + 1800)
    by_2100 = sum(1 for p in crisis_posts if p["t"] < T("2026-03-06T21:00:00Z"))

    cust_refs = [c[0] for c in CUSTOMERS]
    appearing = sorted({p["author"].ref for p in posts if p["author"].ref})
    # repeat complainers: customers with calm complaints on >= 2 different days
    complaints_by_ref = defaultdict(list)
    for p in posts:
        if p["kind"] == "complaint" and p["author"].ref:
            complaints_by_ref[p["author"].ref].append(p)
    repeaters = {ref: ps for ref, ps in complaints_by_ref.items()
                 if len({iso(p["t"])[:10] for p in ps}) >= 2}
    multi_network = [ref for ref, ps in repeaters.items() if len({p["author"].network for p in ps}) >= 2]
    noncustomer_complainers = len({p["author"].key for p in posts
                                   if p["kind"] == "complaint" and not p["author"].ref})

    es_share = lang_count["es"] / total
    print(f"mentions.jsonl: {total} lines")
    print("language (intended): " + ", ".join(f"{k} {v} ({v / total:.1%})" for k, v in lang_count.most_common()))
    print("lang field:          " + ", ".join(f"{k} {v} ({v / total:.1%})" for k, v in tagged.most_common()))
    print("sources:             " + ", ".join(f"{k} {v}" for k, v in sources.most_common()))
    print("per day (UTC):")
    for day in sorted(per_day):
        crisis_today = sum(1 for p in crisis_posts if iso(p["t"]).startswith(day))
        print(f"  {day}  {per_day[day]:4d}" + (f"  (crisis {crisis_today})" if crisis_today else ""))
    kinds = Counter(p["kind"] for p in posts if p["kind"] != "crisis")
    calm_total = sum(kinds.values())
    print("calm content mix:    " + ", ".join(f"{k} {v} ({v / calm_total:.0%})" for k, v in kinds.most_common()))
    print(f"distinct texts: {distinct_texts}  (distinct hand-written templates used: {distinct_tpls}; "
          f"most repeated text x{max_repeat[1]})")
    print(f"max calm complaints in any 60-min window outside the crisis: {calm_max} "
          f"(window starting {iso(calm_max_at)})")
    print(f"crisis mentions: {len(crisis_posts)} total; {crisis_peak.__len__()} between 19:40 and 02:00Z "
          f"({first_30} in the first 30 min, {by_2100} by 21:00Z); {len(crisis_tail)} on Saturday 02:00-14:00Z")
    print(f"max crisis negatives in any 60-min window: {crisis_max} (window starting {iso(crisis_max_at)})")
    print(f"customers.csv: {len(cust_refs)} customers; {len(appearing)} appear as authors in mentions.jsonl")
    print(f"complaining authors not in customers.csv: {noncustomer_complainers}")
    print(f"repeat complainers ({len(repeaters)}; on two networks: {', '.join(sorted(multi_network))}):")
    for ref in sorted(repeaters):
        ps = sorted(repeaters[ref], key=lambda p: p["t"])
        name = next(c[1] for c in CUSTOMERS if c[0] == ref)
        print(f"  {ref} {name}: " + "; ".join(f"{iso(p['t'])} {p['author'].key} [{p['topic']}]" for p in ps))

    # Hard checks ------------------------------------------------------------
    check(total >= 900, f"only {total} mentions")
    check(es_share >= 0.62, f"Spanish share {es_share:.1%} < 62%")
    check(set(sources) == set(MONITORED), "not all four sources used")
    check(sources["x"] > sources["bluesky"] and sources["mastodon"] > sources["reddit"], "x/mastodon not the largest")
    check(calm_max <= 5, f"{calm_max} calm complaints within 60 minutes")
    check(crisis_max >= 10, "crisis is not visible (fewer than 10 negatives in 60 min)")
    check(len(crisis_peak) >= 150, f"only {len(crisis_peak)} crisis mentions 19:40-02:00")
    check(distinct_texts >= 300 and distinct_tpls >= 300, "fewer than 300 distinct texts")
    check(max_repeat[1] <= 3, f"text repeated {max_repeat[1]} times: {max_repeat[0][:60]}")
    check(len(cust_refs) >= 35 and len(appearing) >= 30, "not enough customers appearing")
    check(len(repeaters) >= 6, "fewer than 6 repeat complainers")
    check(len(multi_network) >= 2, "no repeat complainer on two networks")
    check(0.12 <= 1 - tagged["es"] / total - tagged["en"] / total <= 0.28, "lang omitted share off")
    check(any(len(r["text"]) >= 1800 for r in recs), "no very long post")
    check(any("<script>" in r["text"] for r in recs), "no hostile HTML post")

    if failures:
        print("\nCHECKS FAILED:", file=sys.stderr)
        for f in failures:
            print("  - " + f, file=sys.stderr)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
