## Consoles
product-name = partnerd
console-partner = Console Ventes partenaires
console-admin = Console d'administration
console-support = Portail du service client
consoles-label = Consoles
skip-to-content = Aller au contenu

## Sign-in
signin-title = Connexion
signin-intro = Utilisez votre compte partnerd. Une seule connexion pour toutes les consoles.
signin-email = Adresse e-mail
signin-password = Mot de passe
signin-button = Se connecter
signin-failed = Adresse e-mail ou mot de passe incorrect. Réessayez.
signin-throttled = Trop de tentatives infructueuses. Patientez quelques minutes, puis réessayez.
signin-suspended = Ce compte est suspendu. Contactez votre administrateur.
signin-missing-email = Saisissez une adresse e-mail.
signin-missing-password = Saisissez un mot de passe.
signin-expired = Votre session a pris fin. Reconnectez-vous.

## Accounts
accounts-title = Choisir un compte
accounts-intro = Vous êtes connecté à ces comptes dans ce navigateur.
accounts-use = Utiliser { $email }
accounts-add = Utiliser un autre compte
signed-in-as = Connecté en tant que { $email }
account-label = Compte
switch-account = Changer de compte
signout = Se déconnecter
signout-all = Se déconnecter de tous les comptes

## Password change
password-title = Changer de mot de passe
password-intro = Votre administrateur vous demande de choisir un nouveau mot de passe avant de continuer.
password-new = Nouveau mot de passe
password-confirm = Confirmer le nouveau mot de passe
password-rule = 8 à 100 caractères : lettres, chiffres et symboles de l'alphabet latin de base.
password-button = Changer le mot de passe
password-mismatch = Les mots de passe ne correspondent pas.
password-same = Choisissez un mot de passe que vous n'avez pas encore utilisé ici.

## Home and entry points
home-title = Bienvenue
home-intro = Choisissez où aller.
home-none = Ce compte n'a accès à aucune console. Demandez un rôle à votre administrateur.
partner-intro = Gérez les clients de { $account } : créez et importez des clients, commandez et modifiez des abonnements.
partner-refused = Ce compte ne dispose d'aucun droit de revendeur. Demandez à un administrateur revendeur un rôle donnant accès aux clients.
admin-intro = Gérez { $account } : utilisateurs, unités organisationnelles, rôles d'administrateur, licences et paramètres du compte.
admin-refused = Ce compte n'a aucun rôle d'administrateur. Demandez-en un à un super-administrateur de { $account }.
support-intro = Ouvrez et suivez les demandes d'assistance des clients de { $account }.
support-refused = Ce compte ne peut pas utiliser le Portail du service client. Il lui faut le rôle Administrateur revendeur, ou un rôle avec Afficher les clients et Accéder aux demandes d'assistance des clients.
customers-count = Clients : { $count }

## Language
language-label = Langue
language-button = Changer de langue

## Errors
error-title = Un problème est survenu
error-forbidden-title = Accès refusé
error-forbidden = Vous ne pouvez pas ouvrir cette page avec le compte que vous utilisez.
error-not-found-title = Page introuvable
error-not-found = Cette page n'existe pas.
error-internal = Le serveur n'a pas pu répondre. Réessayez dans un instant.
error-csrf = Ce formulaire a été envoyé depuis un autre site ou a expiré. Rouvrez la page et envoyez-le de nouveau.
error-home = Aller à la page d'accueil

## E-mail
mail-greeting = Bonjour { $name },
mail-password-changed-subject = Votre mot de passe a été modifié
mail-password-changed-body = Le mot de passe de { $email } a été modifié le { $date }. Si vous n'êtes pas à l'origine de ce changement, demandez dès maintenant à votre administrateur de le réinitialiser.
mail-signature = — partnerd

## Partner Sales Console: customers
customers-title = Clients
customers-search = Rechercher
customers-search-hint = Nom ou domaine, depuis le début.
customers-type = Type de client
customers-type-all = Tous
customers-type-domain = Client d'un domaine
customers-type-team = Client dans une équipe
customers-sort = Trier par
customers-sort-domain = Domaine
customers-sort-name = Nom
customers-sort-newest = Date de création, du plus récent au plus ancien
customers-apply = Appliquer
customers-col-name = Nom
customers-col-domain = Domaine
customers-col-type = Type
customers-col-created = Date de création
customers-cloud-id = ID Cloud Identity { $id }
customers-none = Aucun client ne correspond.
customers-next = Page suivante
customers-first = Première page

## Partner Sales Console: a customer
customer-title = Client
customer-info = Informations sur le client
customer-contact = Nom du contact
customer-alternate-email = Adresse e-mail secondaire
customer-phone = Numéro de téléphone
customer-country = Pays
customer-subscriptions = Abonnements
customer-no-subscriptions = Aucun abonnement pour l'instant.
badge-domain-verified = Domaine validé
badge-domain-unverified = Domaine non validé
badge-tos-pending = Conditions d'utilisation pas encore acceptées
badge-access-off = Accès revendeur désactivé
col-product = Produit
col-plan = Forfait
col-seats = Licences
col-status = État
col-renewal = Date de renouvellement
col-when = Date
col-who = Modifié par
col-what = Modification
plan-annual-monthly = Forfait annuel (paiement mensuel)
plan-annual-yearly = Forfait annuel (paiement annuel)
plan-flexible = Forfait flexible
plan-trial = Essai
plan-free = Sans frais
status-active = Actif
status-suspended = Suspendu
status-cancelled = Résilié
reason-pending-tos = En attente de l'acceptation des conditions d'utilisation par le client
reason-renewal-cancel = Terminé au renouvellement
reason-reseller = Suspendu par le revendeur
reason-trial-ended = Essai terminé
reason-other = Suspendu par Google
order-history = Historique des commandes
order-history-none = Aucune commande pour l'instant.
order-history-older = Entrées plus anciennes

## Platform time
platform-time = Heure de la plateforme : { $date } (l'horloge a été déplacée)

## Partner Sales Console: settings
settings-title = Paramètres
settings-account = Informations sur le compte
settings-public-id = ID public du revendeur
settings-public-id-hint = Un client qui passe chez vous saisit cet ID lorsqu'il génère un jeton de transfert dans sa console d'administration.
settings-notifications = Notifications du revendeur
settings-topic = Sujet
settings-registered = Comptes de service enregistrés
settings-none-registered = Aucun

## Forms
form-required = Saisissez une valeur.
form-duplicate = Cette valeur est déjà utilisée.
form-invalid = Cette valeur n'est pas acceptée : { $detail }
form-problems = Le formulaire n'a pas pu être envoyé :

## Partner Sales Console: the list's columns, filters and download
customers-sort-renewal = Date de renouvellement
customers-filters = Filtres
customers-filter-any = Tous
customers-filter-status = État de l'abonnement
customers-filter-sku = SKU
customers-filter-plan = Forfait de paiement
customers-filter-reason = Motif de suspension
customers-filter-renews-from = Date de renouvellement à partir du
customers-filter-renews-to = Date de renouvellement jusqu'au
customers-status-active = Actif
customers-status-suspended = Suspendu
customers-status-none = Aucun abonnement pour l'instant
customers-filter-unknown = Choisissez une valeur dans la liste.
customers-filter-date = Saisissez une date au format AAAA-MM-JJ.
customers-filter-range = La date de fin ne peut pas précéder la date de début.
customers-filter-none-and-more = « Aucun abonnement pour l'instant » ne peut pas être combiné aux autres filtres d'abonnement.
customers-filter-mend = Corrigez les filtres signalés pour afficher la liste.
customers-download = Télécharger les clients
customers-download-refused = Seuls les super-administrateurs peuvent télécharger la liste des clients.
customers-col-id = ID Cloud Identity
customers-col-subscriptions = Abonnements
customers-col-renewal = Date de renouvellement
customers-col-products = Produits
customers-col-usage = Utilisation des licences
customers-subs-active = { $count } actif(s)
customers-subs-suspended = { $count } suspendu(s)

## Partner Sales Console: editing a customer's information
customer-edit-title = Modifier les informations du client
customer-edit-link = Modifier
customer-edit-sync = Ce client n'a qu'un seul enregistrement : ce que vous enregistrez ici s'affiche aussitôt dans sa console d'administration et dans l'API, et les modifications faites là-bas apparaissent ici au prochain chargement. Il n'y a rien à synchroniser.
customer-edit-organization = Informations sur l'organisation
customer-edit-organization-name = Nom de l'organisation
customer-edit-contact = Coordonnées
customer-edit-address = Adresse
customer-edit-locality = Ville
customer-edit-region = État ou région
customer-edit-postal-code = Code postal
customer-edit-country-hint = Code pays à deux lettres, par exemple FR ou US.
customer-edit-alternate-hint = Pas une adresse du domaine du client : elle reçoit les informations de connexion et les avis de service.
customer-edit-phone-hint = Commence par + et l'indicatif du pays.
customer-edit-save = Enregistrer
customer-edit-saved = Les informations du client ont été enregistrées.
customer-edit-refused = Ce compte ne peut pas modifier les clients. Il lui faut le droit Modifier les clients.

## Partner Sales Console: the customer switcher
switcher-label = Changer de client
switcher-go = Ouvrir
